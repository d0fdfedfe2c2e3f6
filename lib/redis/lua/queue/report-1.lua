--[[
  report: what running handlers told with job.progress() and job.log(), batched by the lease
  loop (lib/queue/reports.ts). Written only while the job is leased by this consumer at this
  attempt, like complete: a stale consumer's reports are dropped.

  KEYS[1] jobPrefix: keys.job(""); the logs list is derived from it (logsKeyOf, docs/storage.md)

  ARGV[1] consumer id   ARGV[2] log lines kept per job (the newest; 0 = none)
  ARGV[3..] per job: id, attempt, progress JSON ('' = unchanged), lines dropped before sending,
            n, then n log lines (JSON text each)

  Returns an array, one code per job: 1 = written, -3 = not leased by this consumer for this
  attempt: nothing changed.
]]
local K = { jobPrefix = KEYS[1] }
--@include common
--@include lease

local consumer = ARGV[1]
local keep = tonumber(ARGV[2])
local out = {}
local i = 3
while i <= #ARGV do
  local id, attempt, progress = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local dropped, n = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local jobKey = K.jobPrefix .. id
  if leasedFields(jobKey, consumer, attempt) then
    if progress ~= '' then redis.call('HSET', jobKey, 'prog', progress) end
    if n + dropped > 0 then redis.call('HINCRBY', jobKey, 'logn', n + dropped) end
    if n > 0 and keep > 0 then
      local logs = logsKeyOf(K.jobPrefix, id)
      redis.call('RPUSH', logs, unpack(ARGV, i + 5, i + 4 + n))
      redis.call('LTRIM', logs, -keep, -1)
    end
    out[#out + 1] = 1
  else
    out[#out + 1] = -3
  end
  i = i + 5 + n
end
return out
