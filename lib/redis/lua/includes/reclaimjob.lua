-- One job out of active whose lease is given up on (expired, or its consumer stopped beating):
-- back to the front of ready, the attempt counted and recorded as a "LeaseExpired" error, or the
-- DLQ after the last attempt; a job still marked `pf` (prefetched, never started) goes back with
-- its attempt refunded and no error. Expects keys10 and the includes common, errors, groups, dead
-- (the caller runs flushDead before it returns). Returns "ready", "refunded" or "dead".
local LEASE_EXPIRED = 'lease expired before the job finished'
local function reclaimJob(id, now)
  redis.call('ZREM', K.active, id)
  local jobKey = K.jobPrefix .. id
  local f = redis.pcall('HMGET', jobKey, 'attempts', 'max', 'lease', 'payload', 'errors', 'ff', 'pf')
  local ok = type(f) == 'table' and not f.err and f[4] and tonumber(f[1]) and tonumber(f[2])
  if not ok then
    deadCorrupt(id, now, 'job data is missing or unreadable', '')
    return 'dead'
  end
  if f[7] then
    redis.call('HSET', jobKey, 'attempts', math.max(tonumber(f[1]) - 1, 0))
    redis.call('HDEL', jobKey, 'lease', 'pf', 'st')
    redis.call('RPUSH', K.ready, id)
    return 'refunded'
  end
  local attempt = tonumber(f[1])
  local fields = failureFields(f[5], f[6], errorJson(attempt, 'LeaseExpired', LEASE_EXPIRED, now, f[3] or ''), now)
  count('failed', 1)
  if attempt >= tonumber(f[2]) then
    if attempt > 1 then count('retryDead', 1) end
    deadLetter(id, now, 'failed', scriptFingerprint('LeaseExpired', LEASE_EXPIRED), 'LeaseExpired', LEASE_EXPIRED, '',
      fields)
    return 'dead'
  end
  redis.call('HSET', jobKey, unpack(fields))
  redis.call('HDEL', jobKey, 'lease', 'st')
  redis.call('RPUSH', K.ready, id)
  count('retried', 1)
  return 'ready'
end
