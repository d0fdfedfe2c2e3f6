-- Where a job is now: 'active', 'scheduled', 'dead' or 'completed' with its score in that zset,
-- 'waiting' (its hash exists and no zset has it: it is in ready), or nil when no state has it.
-- Expects K.active, K.retry, K.dead, K.completed, K.jobPrefix.
local function jobState(id)
  local s = redis.call('ZSCORE', K.active, id)
  if s then return 'active', s end
  s = redis.call('ZSCORE', K.retry, id)
  if s then return 'scheduled', s end
  s = redis.call('ZSCORE', K.dead, id)
  if s then return 'dead', s end
  s = redis.call('ZSCORE', K.completed, id)
  if s then return 'completed', s end
  if redis.call('EXISTS', K.jobPrefix .. id) == 1 then return 'waiting', false end
  return nil, false
end
