--[[
  lease: a consumer takes up to `count` jobs from ready; each becomes active with a deadline
  (the visibility timeout) and its attempt counter goes up by one. Optionally first promotes
  due retries and delayed jobs (consumers do this so queues move while the worker is down).
  A job whose data is missing or unreadable is dead-lettered with reason "corrupt" instead.
  While the queue is paused (KEYS[11] exists) it leases nothing, but still promotes and still
  takes the starts of ARGV[8..]: checked here, in the same atomic step as the RPOP, so no call
  that runs after a pause can hand out a job.

  KEYS[1..10] active, ready, retry, dead, groups, totals, stats, jobPrefix, groupPrefix,
              groupInfoPrefix (see includes/keys10.lua)
  KEYS[11]    paused (present while the queue is paused: lib/queue/pause.ts)

  ARGV[1] consumer id      ARGV[2] count          ARGV[3] lease ms
  ARGV[4] promote limit (0 = do not promote)      ARGV[5] DLQ retention ms (0 = keep)
  ARGV[6] DLQ cap (0 = none)
  ARGV[7] how many of the leased jobs start at once (default: all); the jobs after them in the
          reply are prefetched: marked `pf` (not started), so a reclaim gives their attempt back
  ARGV[8..] ids of prefetched jobs of this consumer whose handlers have started since its
          last lease call; their `pf` mark is removed (from now on the attempt counts)

  Returns a flat array: first the due time (ms) of the earliest job left in the retry set when
  this call promoted (-1 when it did not, or none is left), then 1 when the queue is paused
  (nothing leased) else 0, then 8 per leased job:
    id, payload, meta ("" = none), attempt (this one), maxAttempts, backoff base, backoff cap, createdAt
]]
--@include keys10
K.paused = KEYS[11]
--@include common
--@include errors
--@include groups
--@include dead
--@include promote

local consumer = ARGV[1]
-- One HDEL per start, unchecked (the hot path): if this lease was lost and another consumer
-- prefetched the job meanwhile, its mark goes and that one attempt counts as it did before `pf`.
-- A job in no lease has no mark (every way out of active removes it); HDEL creates no key.
for i = 8, #ARGV do
  redis.pcall('HDEL', K.jobPrefix .. ARGV[i], 'pf')
end
local now = nowMs()
local retentionMs, cap = tonumber(ARGV[5]), tonumber(ARGV[6])
local nextDue = -1
if tonumber(ARGV[4]) > 0 then
  promoteDue(now, tonumber(ARGV[4]))
  local first = redis.call('ZRANGE', K.retry, 0, 0, 'WITHSCORES')
  if #first == 2 then nextDue = tonumber(first[2]) end
end

if redis.call('EXISTS', K.paused) == 1 then return { nextDue, 1 } end
local out = { nextDue, 0 }
local HEAD = #out
if tonumber(ARGV[2]) < 1 then return out end
local ids = redis.call('RPOP', K.ready, tonumber(ARGV[2]))
if not ids then return out end
local deadline = now + tonumber(ARGV[3])
local startNow = tonumber(ARGV[7] or ARGV[2])
local active = {} -- deadline, id per leased job: one ZADD after the loop
for _, id in ipairs(ids) do
  local jobKey = K.jobPrefix .. id
  local f = redis.pcall('HMGET', jobKey, 'payload', 'meta', 'attempts', 'max', 'bb', 'bm', 'ct')
  local ok = type(f) == 'table' and not f.err
  local attempts = ok and (f[3] == false and 0 or tonumber(f[3]))
  if not ok or not f[1] or not attempts or not tonumber(f[4]) then
    deadCorrupt(id, now, 'job data is missing or unreadable', consumer)
  else
    attempts = attempts + 1
    if (#out - HEAD) / 8 >= startNow then
      redis.call('HSET', jobKey, 'attempts', attempts, 'lease', consumer, 'st', now, 'pf', 1)
    else
      redis.call('HSET', jobKey, 'attempts', attempts, 'lease', consumer, 'st', now)
    end
    active[#active + 1], active[#active + 2] = deadline, id
    local n = #out
    out[n + 1] = id
    out[n + 2] = f[1]
    out[n + 3] = f[2] or ''
    out[n + 4] = attempts
    out[n + 5] = f[4]
    out[n + 6] = f[5] or '0'
    out[n + 7] = f[6] or '0'
    out[n + 8] = f[7] or '0'
  end
end
callBatched('ZADD', K.active, active)
flushDead(now, retentionMs, cap)
flushStats()
return out
