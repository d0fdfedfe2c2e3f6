--[[
  completed: a page of the completed set, the most recent first, with each job's record
  (includes/completed.lua) without its payload. O(log n + page). Read-only.

  KEYS[1] completed  KEYS[2] done
  ARGV[1] cursor score ("" = none)  ARGV[2] cursor id ("" = none)  ARGV[3] limit

  Returns { size of completed,
            [id, completed at, "finished:durationMs:attempts:createdAt" ("" = no record),
             payload kept (1/0)] * rows }
]]
local K = { index = KEYS[1], done = KEYS[2] }
--@include zcursor

local page = pageAfter(true, ARGV[1], ARGV[2], tonumber(ARGV[3]))
local out = { redis.call('ZCARD', K.index) }
for i = 1, #page, 2 do
  local id = page[i]
  local rec = redis.call('HGET', K.done, id)
  local head = rec and string.match(rec, '^%d+:%-?%d+:%d+:%d+') or ''
  local n = #out
  out[n + 1], out[n + 2], out[n + 3], out[n + 4] = id, page[i + 1], head, (rec and #rec > #head) and 1 or 0
end
return out
