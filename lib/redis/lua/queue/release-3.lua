--[[
  release: a consumer shutting down hands back jobs it will not finish. They go to the front
  of ready and the attempt is refunded (it never ran to an outcome).

  KEYS[1] active  KEYS[2] ready  KEYS[3] jobPrefix

  ARGV[1] consumer id   ARGV[2..] pairs: id, attempt

  Returns the number of jobs released (jobs whose lease this consumer no longer holds are skipped).
]]
local K = { active = KEYS[1], ready = KEYS[2], jobPrefix = KEYS[3] }
--@include lease

local consumer = ARGV[1]
local released = 0
for i = 2, #ARGV, 2 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  local jobKey = K.jobPrefix .. id
  if leasedFields(jobKey, consumer, attempt) and redis.call('ZREM', K.active, id) == 1 then
    redis.call('HSET', jobKey, 'attempts', math.max(tonumber(attempt) - 1, 0))
    redis.call('HDEL', jobKey, 'lease', 'pf', 'st')
    redis.call('RPUSH', K.ready, id)
    released = released + 1
  end
end
return released
