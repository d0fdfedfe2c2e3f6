--[[
  reclaim: jobs whose lease expired (their consumer died or stalled) go back to the front of
  ready; the attempt counts and is recorded as a "LeaseExpired" error. When it was the last
  attempt the job becomes a dead letter instead. A job still marked `pf` (prefetched, its
  handler never started: see lease-11.lua) goes back with its attempt refunded and no error.
  (includes/reclaimjob.lua; the console's "move back now" of one orphaned job uses it too.)

  KEYS[1..10] active, ready, retry, dead, groups, totals, stats, jobPrefix, groupPrefix,
              groupInfoPrefix (see includes/keys10.lua)

  ARGV[1] at most this many jobs   ARGV[2] DLQ retention ms (0 = keep)   ARGV[3] DLQ cap (0 = none)

  Returns {reclaimed to ready (refunded ones included), dead-lettered, refunded}
]]
--@include keys10
--@include common
--@include errors
--@include groups
--@include dead
--@include reclaimjob

local retentionMs, cap = tonumber(ARGV[2]), tonumber(ARGV[3])
local now = nowMs()
local expired = redis.call('ZRANGEBYSCORE', K.active, '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local back, dead, refunded = 0, 0, 0
for _, id in ipairs(expired) do
  local to = reclaimJob(id, now)
  if to == 'dead' then dead = dead + 1 else back = back + 1 end
  if to == 'refunded' then refunded = refunded + 1 end
end
flushDead(now, retentionMs, cap)
flushStats()
return { back, dead, refunded }
