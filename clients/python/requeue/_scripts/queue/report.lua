--[[
  report: what running handlers told with job.progress() and job.log(), batched by the lease
  loop (lib/queue/reports.ts). Written only while the job is leased by this consumer at this
  attempt, like complete: a stale consumer's reports are dropped.

  KEYS[1] jobPrefix: keys.job(""); the logs list is derived from it (logsKeyOf, docs/storage.md)

  ARGV[1] consumer id   ARGV[2] log lines kept per job (the newest; 0 = none)
  ARGV[3..] per job: id, attempt, progress JSON ('' = unchanged), lines dropped before sending,
            n, then n log lines (JSON text each)

  Returns an array, one code per job: 1 = written, -3 = not leased by this consumer for this
  attempt: nothing changed.
]]
local K = { jobPrefix = KEYS[1] }
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
local keep = tonumber(ARGV[2])
local out = {}
local i = 3
while i <= #ARGV do
  local id, attempt, progress = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local dropped, n = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local jobKey = K.jobPrefix .. id
  if leasedFields(jobKey, consumer, attempt) then
    if progress ~= '' then redis.call('HSET', jobKey, 'prog', progress) end
    if n + dropped > 0 then redis.call('HINCRBY', jobKey, 'logn', n + dropped) end
    if n > 0 and keep > 0 then
      local logs = logsKeyOf(K.jobPrefix, id)
      redis.call('RPUSH', logs, unpack(ARGV, i + 5, i + 4 + n))
      redis.call('LTRIM', logs, -keep, -1)
    end
    out[#out + 1] = 1
  else
    out[#out + 1] = -3
  end
  i = i + 5 + n
end
return out
