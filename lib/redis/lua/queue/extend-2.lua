--[[
  extend: a consumer renews the leases of the jobs it is still running (one call for all).

  KEYS[1] active  KEYS[2] jobPrefix

  ARGV[1] consumer id   ARGV[2] lease ms   ARGV[3..] pairs: id, attempt

  Returns the ids whose lease this consumer no longer holds (expired and reclaimed, or gone):
  their handlers' results will be refused, so the consumer may stop them.
]]
local K = { active = KEYS[1], jobPrefix = KEYS[2] }
--@include common
--@include lease

local consumer = ARGV[1]
local deadline = nowMs() + tonumber(ARGV[2])
local lost = {}
for i = 3, #ARGV, 2 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  if leasedFields(K.jobPrefix .. id, consumer, attempt) then
    redis.call('ZADD', K.active, 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
