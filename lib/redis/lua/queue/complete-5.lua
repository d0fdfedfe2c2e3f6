--[[
  complete: handlers that succeeded; each job leaves active for completed, its hash is deleted
  (with its logs) and a small record is kept in `done` (includes/completed.lua). Only the consumer
  holding the lease for that attempt may complete it.

  KEYS[1] active  KEYS[2] completed  KEYS[3] stats  KEYS[4] jobPrefix  KEYS[5] done

  ARGV[1] consumer id   ARGV[2] completed cap (0 = no cap)
  ARGV[3] "1": the record keeps payload and metadata (COMPLETED_KEEP_PAYLOAD)
  ARGV[4..] triples: id, attempt, handler time in ms (-1 = not measured; includes/duration.lua)

  Returns an array, one code per job: 1 = completed, -3 = not leased by this consumer for this
  attempt any more (lease expired and reclaimed, or released): nothing changed.
]]
local K = { active = KEYS[1], completed = KEYS[2], stats = KEYS[3], jobPrefix = KEYS[4], done = KEYS[5] }
--@include common
--@include lease
--@include duration
--@include completed

local consumer, keep = ARGV[1], ARGV[3] == '1'
local now = nowMs()
local out = {}
-- what every completed job writes, gathered and written in one command each after the loop
local scored, records, gone = {}, {}, {}
for i = 4, #ARGV, 3 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  local jobKey = K.jobPrefix .. id
  local f
  if keep then f = leasedFields(jobKey, consumer, attempt, 'st', 'ct', 'payload', 'meta')
  else f = leasedFields(jobKey, consumer, attempt, 'st', 'ct') end
  -- ZREM per job: it is what refuses a second completion of the same lease (a repeated id)
  if f and redis.call('ZREM', K.active, id) == 1 then
    local n = #scored
    scored[n + 1], scored[n + 2] = now, id
    records[n + 1], records[n + 2] = id, completedRecord(now, f[3], attempt, f[4], f[5], f[6])
    gone[n + 1], gone[n + 2] = jobKey, logsKeyOf(K.jobPrefix, id)
    count('completed', 1)
    if tonumber(attempt) > 1 then count('retrySucceeded', 1) end
    countDuration(ARGV[i + 2])
    out[#out + 1] = 1
  else
    out[#out + 1] = -3
  end
end
callBatched('ZADD', K.completed, scored)
callBatched('HSET', K.done, records)
callBatched('DEL', nil, gone)
trimCompletedCap(tonumber(ARGV[2]))
flushStats()
return out
