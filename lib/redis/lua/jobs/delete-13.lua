--[[
  delete: a waiting or scheduled job is removed with its data and counted as deleted. A waiting
  job is found in ready from the oldest end (LREM -1: O(its distance from the oldest)).

  KEYS[1..13] keys13 (includes/keys13.lua)
  ARGV[1] id

  Returns { code, state }: 1 deleted (the state it was in); -1 no state has the job;
  -2 it is in another state (returned).
]]
--@include keys13
--@include common
--@include state

local id = ARGV[1]
local state = jobState(id)
if state == 'waiting' then
  redis.call('LREM', K.ready, -1, id)
elseif state == 'scheduled' then
  redis.call('ZREM', K.retry, id)
else
  return { state and -2 or -1, state or '' }
end
redis.call('DEL', K.jobPrefix .. id)
count('deleted', 1)
flushStats()
return { 1, state }
