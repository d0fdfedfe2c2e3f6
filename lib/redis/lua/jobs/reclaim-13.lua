--[[
  reclaim: an orphaned active job (includes/orphan.lua: its lease expired, or its consumer
  stopped beating) is given up on now instead of at its lease deadline, exactly as the periodic
  reclaim would (includes/reclaimjob.lua): front of ready with the attempt counted, or the DLQ
  after its last attempt. A lease whose consumer still beats is refused.

  KEYS[1..13] keys13 (includes/keys13.lua)
  ARGV[1] id   ARGV[2] DLQ retention ms (0 = keep)   ARGV[3] DLQ cap (0 = none)

  Returns { code, state }: 1 moved (now "waiting" or "dead"); 0 already waiting;
  -1 no state has the job; -2 it is in another state (returned); -5 active and its consumer
  still beats ("active").
]]
--@include keys13
--@include common
--@include errors
--@include groups
--@include dead
--@include reclaimjob
--@include state
--@include orphan

local id = ARGV[1]
local state, deadline = jobState(id)
if state == 'waiting' then return { 0, state } end
if state ~= 'active' then return { state and -2 or -1, state or '' } end
local now = nowMs()
if not leaseOrphaned(now, deadline, redis.call('HGET', K.jobPrefix .. id, 'lease')) then return { -5, state } end
local to = reclaimJob(id, now)
flushDead(now, tonumber(ARGV[2]), tonumber(ARGV[3]))
flushStats()
return { 1, to == 'dead' and 'dead' or 'waiting' }
