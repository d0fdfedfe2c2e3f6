-- The ids of a DLQ batch call (requeue, delete): ARGV[m] is "ids" (ARGV[m+1..] are the ids) or
-- "range" (the newest ARGV[m+3] ids of K.index scored between ARGV[m+1] (max) and ARGV[m+2] (min)).
local function batchIds(m)
  if ARGV[m] == 'range' then
    return redis.call('ZREVRANGEBYSCORE', K.index, ARGV[m + 1], ARGV[m + 2], 'LIMIT', 0, tonumber(ARGV[m + 3]))
  end
  return { unpack(ARGV, m + 1) }
end
