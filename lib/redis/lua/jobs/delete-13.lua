--[[
  delete: a waiting or scheduled job is removed with its data and counted as deleted. A waiting
  job is looked for in ready from the oldest end, then from the newest, at most SCAN places from
  each (LPOS MAXLEN), and removed from the end it was found nearer to: O(SCAN) at most. A job
  farther than that from both ends of a long line is refused (-6): deleting it would scan too far.

  KEYS[1..13] keys13 (includes/keys13.lua)
  ARGV[1] id

  Returns { code, state }: 1 deleted (the state it was in); -1 no state has the job;
  -2 it is in another state (returned); -6 waiting, too deep in a long line (with the line's length).
]]
--@include keys13
--@include common
--@include state

local id = ARGV[1]
local state = jobState(id)
local SCAN = 50000
if state == 'waiting' then
  if redis.call('LPOS', K.ready, id, 'RANK', -1, 'MAXLEN', SCAN) then
    redis.call('LREM', K.ready, -1, id)
  elseif redis.call('LPOS', K.ready, id, 'RANK', 1, 'MAXLEN', SCAN) then
    redis.call('LREM', K.ready, 1, id)
  else
    return { -6, state, redis.call('LLEN', K.ready) }
  end
elseif state == 'scheduled' then
  redis.call('ZREM', K.retry, id)
else
  return { state and -2 or -1, state or '' }
end
redis.call('DEL', K.jobPrefix .. id, logsKeyOf(K.jobPrefix, id))
count('deleted', 1)
flushStats()
return { 1, state }
