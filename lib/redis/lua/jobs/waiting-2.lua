--[[
  waiting: a page of the ready list, oldest first (consumers RPOP: the oldest is at the tail).
  The cursor is how many entries from the tail the last page ended at, and the id it ended on:
  while nothing was leased meanwhile that id is still there and the page starts right after it
  (LINDEX + LRANGE from the tail: O(offset / entries per list node + page)). When the line moved,
  the id is looked for around where it was: up to SEARCH places nearer the tail (jobs leased since)
  and 64 farther (jobs put back at the front since), one LRANGE: O(offset / entries per node +
  SEARCH). When it is not there (leased itself, so every job older went too, or the line moved
  more than SEARCH), the page starts at the head of the line again. Read-only.

  KEYS[1] ready  KEYS[2] jobPrefix: keys.job(""); the script appends each id (docs/storage.md)
  ARGV[1] offset (0 = from the oldest)   ARGV[2] the cursor's id ("" = none)   ARGV[3] limit

  Returns { length of ready, position of the first row (0-based from the oldest),
            [id, createdAt, attempts, maxAttempts, payload bytes] * rows }
  A row whose hash is gone (leased and completed meanwhile) has createdAt "".
]]
local ready, prefix = KEYS[1], KEYS[2]
local offset, afterId, limit = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local len = redis.call('LLEN', ready)
local SEARCH = 2000
local start = 0
if afterId ~= '' and offset > 0 then
  if redis.call('LINDEX', ready, -offset) == afterId then
    start = offset
  else
    local lo, hi = math.max(0, offset - 1 - SEARCH), offset - 1 + 64
    local window = redis.call('LRANGE', ready, -(hi + 1), -(lo + 1))
    -- counted from its tail end: window[#window] is at position lo (the head may cut the other end)
    for j = #window, 1, -1 do
      if window[j] == afterId then
        start = lo + (#window - j) + 1
        break
      end
    end
  end
end
local out = { len, start }
if start >= len then return out end
local ids = redis.call('LRANGE', ready, -(start + limit), -(start + 1))
for i = #ids, 1, -1 do
  local id = ids[i]
  local key = prefix .. id
  local f = redis.call('HMGET', key, 'ct', 'attempts', 'max')
  local n = #out
  out[n + 1], out[n + 2], out[n + 3], out[n + 4] = id, f[1] or '', f[2] or '', f[3] or ''
  out[n + 5] = redis.call('HSTRLEN', key, 'payload')
end
return out
