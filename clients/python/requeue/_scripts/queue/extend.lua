--[[
  extend: a consumer renews the leases of the jobs it is still running (one call for all), and
  writes its heartbeat in the same call: the console tells a lease held by a live consumer from
  an orphaned one by it (lib/queue/browse.ts).

  KEYS[1] active  KEYS[2] jobPrefix  KEYS[3] consumers (hash consumer id -> beat)

  ARGV[1] consumer id   ARGV[2] lease ms
  ARGV[3] "<beat interval ms> <pid> <host>": stored as "<now ms> " .. ARGV[3]
  ARGV[4..] pairs: id, attempt

  Returns the ids whose lease this consumer no longer holds (expired and reclaimed, or gone):
  their handlers' results will be refused, so the consumer may stop them.
]]
local K = { active = KEYS[1], jobPrefix = KEYS[2], consumers = KEYS[3] }
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

-- The lease-owner check of complete, extend, fail and release: the job hash's `lease` must be
-- this consumer and its `attempts` the attempt it leased. Returns the HMGET reply (lease,
-- attempts, then the fields asked for in `...`) when both match, else nil. pcall: a job key of
-- another type counts as not leased.
local function leasedFields(jobKey, consumer, attempt, ...)
  local f = redis.pcall('HMGET', jobKey, 'lease', 'attempts', ...)
  if type(f) == 'table' and not f.err and f[1] == consumer and f[2] == attempt then return f end
  return nil
end

local consumer = ARGV[1]
local now = nowMs()
local deadline = now + tonumber(ARGV[2])
redis.call('HSET', K.consumers, consumer, now .. ' ' .. ARGV[3])
local lost = {}
for i = 4, #ARGV, 2 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  if leasedFields(K.jobPrefix .. id, consumer, attempt) then
    redis.call('ZADD', K.active, 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
