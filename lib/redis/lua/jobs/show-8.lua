--[[
  show: one job in whatever state it is, read in one call. Read-only.

  KEYS[1] ready  KEYS[2] active  KEYS[3] retry  KEYS[4] completed  KEYS[5] dead  KEYS[6] done
  KEYS[7] consumers  KEYS[8] jobPrefix
  ARGV[1] id   ARGV[2] how far from the oldest to look for a waiting job's position (LPOS MAXLEN)
  ARGV[3] "1": only where it is ({ state } alone)

  Returns {} when no state has the job, else
    { state, score ("" for waiting), position in line (0-based from the oldest; -1 = not within
      ARGV[2]), orphaned (1/0, active only), heartbeat text, completed record ("" = none),
      field, value, field, value, ... of the job hash }
]]
local K = { ready = KEYS[1], active = KEYS[2], retry = KEYS[3], completed = KEYS[4], dead = KEYS[5],
  done = KEYS[6], consumers = KEYS[7], jobPrefix = KEYS[8] }
--@include common
--@include state
--@include orphan

local id = ARGV[1]
local state, score = jobState(id)
if not state then return {} end
if ARGV[3] == '1' then return { state } end
local position, orphaned, beat, record = -1, 0, '', ''
if state == 'waiting' then
  local pos = redis.call('LPOS', K.ready, id, 'RANK', -1, 'MAXLEN', tonumber(ARGV[2]))
  if pos then position = redis.call('LLEN', K.ready) - 1 - pos end
elseif state == 'active' then
  local o, b = leaseOrphaned(nowMs(), score, redis.call('HGET', K.jobPrefix .. id, 'lease'))
  orphaned, beat = o and 1 or 0, b or ''
elseif state == 'completed' then
  record = redis.call('HGET', K.done, id) or ''
end
local out = { state, score or '', position, orphaned, beat, record }
for _, v in ipairs(redis.call('HGETALL', K.jobPrefix .. id)) do out[#out + 1] = v end
return out
