--[[
  reclaim: jobs whose lease expired (their consumer died or stalled) go back to the front of
  ready; the attempt counts and is recorded as a "LeaseExpired" error. When it was the last
  attempt the job becomes a dead letter instead. A job still marked `pf` (prefetched, its
  handler never started: see lease-11.lua) goes back with its attempt refunded and no error.

  KEYS[1..10] active, ready, retry, dead, groups, totals, stats, jobPrefix, groupPrefix,
              groupInfoPrefix (see includes/keys10.lua)

  ARGV[1] at most this many jobs   ARGV[2] DLQ retention ms (0 = keep)   ARGV[3] DLQ cap (0 = none)

  Returns {reclaimed to ready (refunded ones included), dead-lettered, refunded}
]]
--@include keys10
--@include common
--@include errors
--@include groups
--@include dead

local retentionMs, cap = tonumber(ARGV[2]), tonumber(ARGV[3])
local now = nowMs()
local MESSAGE = 'lease expired before the job finished'
local expired = redis.call('ZRANGEBYSCORE', K.active, '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local back, dead, refunded = 0, 0, 0
for _, id in ipairs(expired) do
  redis.call('ZREM', K.active, id)
  local jobKey = K.jobPrefix .. id
  local f = redis.pcall('HMGET', jobKey, 'attempts', 'max', 'lease', 'payload', 'errors', 'ff', 'pf')
  local ok = type(f) == 'table' and not f.err and f[4] and tonumber(f[1]) and tonumber(f[2])
  if not ok then
    deadCorrupt(id, now, 'job data is missing or unreadable', '', retentionMs, cap)
    dead = dead + 1
  elseif f[7] then
    redis.call('HSET', jobKey, 'attempts', math.max(tonumber(f[1]) - 1, 0))
    redis.call('HDEL', jobKey, 'lease', 'pf')
    redis.call('RPUSH', K.ready, id)
    back = back + 1
    refunded = refunded + 1
  else
    local attempt = tonumber(f[1])
    local fields = failureFields(f[5], f[6], errorJson(attempt, 'LeaseExpired', MESSAGE, now, f[3] or ''), now)
    count('failed', 1)
    if attempt >= tonumber(f[2]) then
      if attempt > 1 then count('retryDead', 1) end
      deadLetter(id, now, 'failed', scriptFingerprint('LeaseExpired', MESSAGE), 'LeaseExpired', MESSAGE, '',
        retentionMs, cap, fields)
      dead = dead + 1
    else
      redis.call('HSET', jobKey, unpack(fields))
      redis.call('HDEL', jobKey, 'lease')
      redis.call('RPUSH', K.ready, id)
      count('retried', 1)
      back = back + 1
    end
  end
end
flushStats()
return { back, dead, refunded }
