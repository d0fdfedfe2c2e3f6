--[[
  promote: retries and delayed jobs whose due time has come move from the retry set to ready.

  KEYS[1] retry  KEYS[2] ready
  ARGV[1] at most this many jobs

  Returns the number of jobs promoted.
]]
local K = { retry = KEYS[1], ready = KEYS[2] }
--@include common
--@include promote

return promoteDue(nowMs(), tonumber(ARGV[1]))
