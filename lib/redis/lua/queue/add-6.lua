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
--@include common

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
