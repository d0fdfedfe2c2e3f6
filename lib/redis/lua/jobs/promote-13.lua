--[[
  promote: a scheduled job (a retry or a delayed job) runs now: out of the retry set to the
  front of ready, so it is the next one leased. Its attempts are left as they are.

  KEYS[1..13] keys13 (includes/keys13.lua)
  ARGV[1] id

  Returns { code, state }: 1 promoted ("waiting"); 0 already waiting, nothing changed;
  -1 no state has the job; -2 it is in another state (returned).
]]
--@include keys13
--@include state

local id = ARGV[1]
local state = jobState(id)
if state == 'waiting' then return { 0, state } end
if state ~= 'scheduled' then return { state and -2 or -1, state or '' } end
redis.call('ZREM', K.retry, id)
redis.call('RPUSH', K.ready, id)
return { 1, 'waiting' }
