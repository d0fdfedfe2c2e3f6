--[[
  promote: retries and delayed jobs whose due time has come move from the retry set to ready.

  KEYS[1] retry  KEYS[2] ready
  ARGV[1] at most this many jobs

  Returns the number of jobs promoted.
]]
local K = { retry = KEYS[1], ready = KEYS[2] }
-- Shared helpers (textually included by the loader). Expects a table K with the keys in use.

-- Redis time in ms: every process sees the same clock.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Per-minute counters, accumulated in the script and written once at the end.
local counts = {}
local function count(field, n)
  counts[field] = (counts[field] or 0) + n
end
-- EXPIRE only when a counter was just created (its new value is the increment): a few times
-- a minute instead of on every call.
local function flushStats()
  local fresh = false
  for field, n in pairs(counts) do
    if redis.call('HINCRBY', K.stats, field, n) == n then fresh = true end
  end
  if fresh then
    redis.call('EXPIRE', K.stats, 691200)
  end
end

-- The log list of a job (keys.logs(id) in lib/redis/keys.ts): the job prefix `<base>:job:` with
-- `job:` replaced by `logs:`. Derived here so every script that deletes a job hash deletes its
-- logs without one more KEYS entry (docs/storage.md); lib/queue/reports.test.ts checks it.
local function logsKeyOf(jobPrefix, id)
  return string.sub(jobPrefix, 1, -5) .. 'logs:' .. id
end

-- `redis.call(cmd, key, args…)` (key nil: `cmd args…`) in calls of at most 960 arguments (a
-- multiple of 1…6 and 8: pairs and triples are never split; Lua's unpack has a bounded stack).
-- One command for a batch of jobs instead of one per job.
local function callBatched(cmd, key, args)
  for i = 1, #args, 960 do
    local last = math.min(i + 959, #args)
    if key then redis.call(cmd, key, unpack(args, i, last)) else redis.call(cmd, unpack(args, i, last)) end
  end
end

-- Moves up to `limit` due ids from the retry set to the back of ready. Returns how many.
local function promoteDue(now, limit)
  local due = redis.call('ZRANGEBYSCORE', K.retry, '-inf', now, 'LIMIT', 0, limit)
  if #due > 0 then
    redis.call('ZREM', K.retry, unpack(due))
    redis.call('LPUSH', K.ready, unpack(due))
  end
  return #due
end

return promoteDue(nowMs(), tonumber(ARGV[1]))
