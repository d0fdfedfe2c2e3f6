--[[
  trimCompleted: drops completed ids older than the retention, then the oldest beyond the cap,
  with their records, at most `limit` per call (the worker calls again while a call drops `limit`).

  KEYS[1] completed  KEYS[2] done

  ARGV[1] drop ids completed at or before this time (ms; 0 = no retention)
  ARGV[2] cap (0 = none)   ARGV[3] limit

  Returns the number of completed ids dropped.
]]
local K = { completed = KEYS[1], done = KEYS[2] }
--@include completed

local cutoff, cap, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local n = 0
if cutoff > 0 then
  n = dropCompleted(redis.call('ZRANGE', K.completed, '-inf', cutoff, 'BYSCORE', 'LIMIT', 0, limit))
end
if n < limit then n = n + trimCompletedCap(cap, limit - n) end
return n
