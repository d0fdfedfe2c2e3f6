--[[
  complete: handlers that succeeded; each job leaves active for completed and its hash is
  deleted (with its logs). Only the consumer holding the lease for that attempt may complete it.

  KEYS[1] active  KEYS[2] completed  KEYS[3] stats  KEYS[4] jobPrefix

  ARGV[1] consumer id   ARGV[2] completed cap (0 = no cap)
  ARGV[3..] triples: id, attempt, handler time in ms (-1 = not measured; includes/duration.lua)

  Returns an array, one code per job: 1 = completed, -3 = not leased by this consumer for this
  attempt any more (lease expired and reclaimed, or released): nothing changed.
]]
local K = { active = KEYS[1], completed = KEYS[2], stats = KEYS[3], jobPrefix = KEYS[4] }
--@include common
--@include lease
--@include duration

local consumer = ARGV[1]
local now = nowMs()
local out = {}
for i = 3, #ARGV, 3 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  local jobKey = K.jobPrefix .. id
  if leasedFields(jobKey, consumer, attempt) and redis.call('ZREM', K.active, id) == 1 then
    redis.call('ZADD', K.completed, now, id)
    redis.call('DEL', jobKey, logsKeyOf(K.jobPrefix, id))
    count('completed', 1)
    if tonumber(attempt) > 1 then count('retrySucceeded', 1) end
    countDuration(ARGV[i + 2])
    out[#out + 1] = 1
  else
    out[#out + 1] = -3
  end
end
local cap = tonumber(ARGV[2])
if cap > 0 then
  local n = redis.call('ZCARD', K.completed)
  if n > cap then redis.call('ZREMRANGEBYRANK', K.completed, 0, n - cap - 1) end
end
flushStats()
return out
