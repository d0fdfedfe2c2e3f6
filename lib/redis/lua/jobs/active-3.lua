--[[
  active: a page of the active set, the lease expiring soonest first, with who holds each lease
  and whether that consumer still beats (includes/orphan.lua). O(log n + page). Read-only.

  KEYS[1] active  KEYS[2] jobPrefix  KEYS[3] consumers
  ARGV[1] cursor score ("" = none)  ARGV[2] cursor id ("" = none)  ARGV[3] limit

  Returns { size of active,
            [id, lease deadline, consumer, startedAt, attempts, maxAttempts, createdAt, prefetched,
             orphaned (1/0), heartbeat text ("" = none), payload bytes] * rows }
]]
local K = { index = KEYS[1], jobPrefix = KEYS[2], consumers = KEYS[3] }
--@include common
--@include zcursor
--@include orphan

local now = nowMs()
local page = pageAfter(false, ARGV[1], ARGV[2], tonumber(ARGV[3]))
local out = { redis.call('ZCARD', K.index) }
for i = 1, #page, 2 do
  local id, deadline = page[i], page[i + 1]
  local key = K.jobPrefix .. id
  local f = redis.call('HMGET', key, 'lease', 'st', 'attempts', 'max', 'ct', 'pf')
  local orphaned, beat = leaseOrphaned(now, deadline, f[1])
  local row = { id, deadline, f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '', f[6] or '',
    orphaned and 1 or 0, beat or '', redis.call('HSTRLEN', key, 'payload') }
  for _, v in ipairs(row) do out[#out + 1] = v end
end
return out
