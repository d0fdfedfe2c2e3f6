--[[
  fail: handlers that threw. Each attempt's error is appended to the job; with attempts left
  (and reason "failed") the job waits in the retry set until now + delay, otherwise it becomes
  a dead letter (indexed by fingerprint; the DLQ is trimmed by age and cap in the same call).

  KEYS[1..10] active, ready, retry, dead, groups, totals, stats, jobPrefix, groupPrefix,
              groupInfoPrefix (see includes/keys10.lua)

  ARGV[1] consumer id   ARGV[2] DLQ retention ms (0 = keep)   ARGV[3] DLQ cap (0 = none)
  ARGV[4..] 9 per job: id, attempt, error JSON (redacted, starts with {"attempt":), retry delay ms
            (-1 = never retry), reason ("failed" | "unrecoverable" | "corrupt"), fingerprint,
            error name, normalised message, top frame
  ARGV[last] optional, only when the ARGV count is 3 + 9n + 1: the time to record in ms instead of
            Redis's TIME. Test fixtures only (test/harness/dead-letters.ts, to give dead letters a
            chosen dead time); the consumer never sends it. Safe: it changes only times this call
            writes for jobs this caller holds the lease of, which anyone able to run the script
            could write with HSET/ZADD anyway; no API input reaches a script's ARGV.

  Returns an array, one code per job: 1 = retry scheduled, 2 = dead-lettered,
    -3 = not leased by this consumer for this attempt any more (nothing changed).
]]
--@include keys10
--@include common
--@include errors
--@include groups
--@include dead
--@include lease

local consumer = ARGV[1]
local retentionMs, cap = tonumber(ARGV[2]), tonumber(ARGV[3])
local clockArg = (#ARGV - 3) % 9 == 1 and ARGV[#ARGV]
if clockArg and not tonumber(clockArg) then return redis.error_reply('fail: clock must be ms') end
local now = clockArg and tonumber(clockArg) or nowMs()
local last = #ARGV - (clockArg and 1 or 0)
-- Which jobs are still active, asked once for the call (ZMSCORE, in chunks: unpack is bounded);
-- they leave active in one ZREM and the retried ones enter the retry set in one ZADD at the end.
-- (A job's second failure in the same call finds its lease field gone: -3.)
local ids = {}
for i = 4, last, 9 do ids[#ids + 1] = ARGV[i] end
local inActive = {}
for c = 1, #ids, 960 do
  local scores = redis.call('ZMSCORE', K.active, unpack(ids, c, math.min(c + 959, #ids)))
  for j = 1, #scores do inActive[c + j - 1] = scores[j] end
end
local out, gone, retries = {}, {}, {}
for n = 1, #ids do
  local i = 4 + (n - 1) * 9
  local id, attempt = ARGV[i], ARGV[i + 1]
  local jobKey = K.jobPrefix .. id
  -- the lease check: active, and leased by this consumer for this attempt
  local f = inActive[n] and leasedFields(jobKey, consumer, attempt, 'max', 'errors', 'ff')
  if f then
    gone[#gone + 1] = id
    local fields = failureFields(f[4], f[5], ARGV[i + 2], now)
    count('failed', 1)
    local delay, reason = tonumber(ARGV[i + 3]), ARGV[i + 4]
    if reason == 'failed' and delay >= 0 and tonumber(attempt) < (tonumber(f[3]) or 1) then
      -- rt: when the retry is due, i.e. ready to run (the overview's latency counts from there)
      redis.call('HSET', jobKey, 'rt', now + delay, unpack(fields))
      redis.call('HDEL', jobKey, 'lease', 'pf', 'st')
      retries[#retries + 1], retries[#retries + 2] = now + delay, id
      count('retried', 1)
      out[n] = 1
    else
      -- a job that had been given a retry and still died: the retry success rate's failures
      if tonumber(attempt) > 1 then count('retryDead', 1) end
      deadLetter(id, now, reason, ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8], fields)
      out[n] = 2
    end
  else
    out[n] = -3
  end
end
callBatched('ZREM', K.active, gone)
callBatched('ZADD', K.retry, retries)
flushDead(now, retentionMs, cap)
flushStats()
return out
