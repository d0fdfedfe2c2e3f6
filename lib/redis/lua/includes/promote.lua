-- Moves up to `limit` due ids from the retry set to the back of ready. Returns how many.
local function promoteDue(now, limit)
  local due = redis.call('ZRANGEBYSCORE', K.retry, '-inf', now, 'LIMIT', 0, limit)
  if #due > 0 then
    redis.call('ZREM', K.retry, unpack(due))
    redis.call('LPUSH', K.ready, unpack(due))
  end
  return #due
end
