--[[
  trimDead: drops dead letters older than the retention, then the oldest beyond the cap, at
  most `limit` per call (the worker calls again while a call drops `limit`). Dropped entries
  are counted in the totals hash (dropped, droppedAge, droppedCap), and those the cap dropped
  also in the minute's stats (droppedCap).

  KEYS[1..10] active, ready, retry, dead, groups, totals, stats, jobPrefix, groupPrefix,
              groupInfoPrefix (see includes/keys10.lua)

  ARGV[1] retention ms (0 = keep)   ARGV[2] cap (0 = none)   ARGV[3] limit

  Returns the number of dead letters dropped.
]]
--@include keys10
--@include common
--@include errors
--@include groups
--@include dead

local dropped = trimDead(nowMs(), tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
flushStats()
return dropped
