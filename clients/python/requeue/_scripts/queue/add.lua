--[[
  add: new jobs enter the queue (ready, or the retry set when delayed). One call for a batch.

  KEYS[1] ready      list
  KEYS[2] retry      zset id -> due (ms)
  KEYS[3] completed  zset (an id completed and kept there counts as existing)
  KEYS[4] stats      hash of this minute's counters
  KEYS[5] seq        string counter for generated ids
  KEYS[6] jobPrefix  keys.job("") - the job hash is jobPrefix .. id

  ARGV, 7 per job: id ("" = generate), payload JSON, meta JSON ("" = none), maxAttempts,
                   backoff base ms, backoff cap ms, delay ms

  Returns a flat array: id1, code1, id2, code2, ...
    code 1 = added, 0 = a job with this id exists (nothing changed)
]]
local K = { ready = KEYS[1], retry = KEYS[2], completed = KEYS[3], stats = KEYS[4], seq = KEYS[5],
  jobPrefix = KEYS[6] }
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

local now = nowMs()
local out = {}
local ready = {}
for i = 1, #ARGV, 7 do
  local id = ARGV[i]
  local fresh = true
  if id == '' then
    id = tostring(redis.call('INCR', K.seq))
  elseif redis.call('EXISTS', K.jobPrefix .. id) == 1 or redis.call('ZSCORE', K.completed, id) then
    fresh = false
  end
  if fresh then
    local jobKey = K.jobPrefix .. id
    redis.call('HSET', jobKey, 'payload', ARGV[i + 1], 'attempts', 0, 'max', ARGV[i + 3],
      'bb', ARGV[i + 4], 'bm', ARGV[i + 5], 'ct', now)
    if ARGV[i + 2] ~= '' then redis.call('HSET', jobKey, 'meta', ARGV[i + 2]) end
    local delay = tonumber(ARGV[i + 6])
    if delay > 0 then
      redis.call('HSET', jobKey, 'rt', now + delay) -- ready to run from then on (rt: docs/storage.md)
      redis.call('ZADD', K.retry, now + delay, id)
    else
      ready[#ready + 1] = id
      if #ready == 1000 then
        redis.call('LPUSH', K.ready, unpack(ready))
        ready = {}
      end
    end
    count('added', 1)
  end
  out[#out + 1] = id
  out[#out + 1] = fresh and 1 or 0
end
if #ready > 0 then redis.call('LPUSH', K.ready, unpack(ready)) end
flushStats()
return out
