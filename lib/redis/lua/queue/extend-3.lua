--[[
  extend: a consumer renews the leases of the jobs it is still running (one call for all), and
  writes its heartbeat in the same call: the console tells a lease held by a live consumer from
  an orphaned one by it (lib/queue/browse.ts).

  KEYS[1] active  KEYS[2] jobPrefix  KEYS[3] consumers (hash consumer id -> beat)

  ARGV[1] consumer id   ARGV[2] lease ms
  ARGV[3] "<beat interval ms> <pid> <host>": stored as "<now ms> " .. ARGV[3]
  ARGV[4..] pairs: id, attempt

  Returns the ids whose lease this consumer no longer holds (expired and reclaimed, or gone):
  their handlers' results will be refused, so the consumer may stop them.
]]
local K = { active = KEYS[1], jobPrefix = KEYS[2], consumers = KEYS[3] }
--@include common
--@include lease

local consumer = ARGV[1]
local now = nowMs()
local deadline = now + tonumber(ARGV[2])
redis.call('HSET', K.consumers, consumer, now .. ' ' .. ARGV[3])
local lost = {}
for i = 4, #ARGV, 2 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  if leasedFields(K.jobPrefix .. id, consumer, attempt) then
    redis.call('ZADD', K.active, 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
