-- The lease-owner check of complete, extend, fail and release: the job hash's `lease` must be
-- this consumer and its `attempts` the attempt it leased. Returns the HMGET reply (lease,
-- attempts, then the fields asked for in `...`) when both match, else nil. pcall: a job key of
-- another type counts as not leased.
local function leasedFields(jobKey, consumer, attempt, ...)
  local f = redis.pcall('HMGET', jobKey, 'lease', 'attempts', ...)
  if type(f) == 'table' and not f.err and f[1] == consumer and f[2] == attempt then return f end
  return nil
end
