-- Cursor pages over a zset K.index, in ascending (score, member) order or, with `rev`, descending.
-- A cursor is the (score, id) of the last entry of the previous page.
--@include bytes

-- The rank, in page order, of the first entry after (score, afterId); 0 without a cursor.
-- O(log n) while the id is still there with that score; otherwise the entries on its side of the
-- score are counted and its score's ties (at most 1000 read) placed by member, bytewise.
local function startRank(rev, score, afterId)
  if afterId == '' then return 0 end
  local r
  if rev then r = redis.call('ZREVRANK', K.index, afterId) else r = redis.call('ZRANK', K.index, afterId) end
  if r and tonumber(redis.call('ZSCORE', K.index, afterId)) == tonumber(score) then return r + 1 end
  local before
  if rev then before = redis.call('ZCOUNT', K.index, '(' .. score, '+inf')
  else before = redis.call('ZCOUNT', K.index, '-inf', '(' .. score) end
  for _, id in ipairs(redis.call('ZRANGE', K.index, score, score, 'BYSCORE', 'LIMIT', 0, 1000)) do
    if rev then
      if bytesLess(afterId, id) then before = before + 1 end
    elseif bytesLess(id, afterId) then before = before + 1 end
  end
  return before
end

-- One page: { id, score, id, score, ... } from the cursor, at most `limit` entries.
local function pageAfter(rev, score, afterId, limit)
  local from = startRank(rev, score, afterId)
  if rev then return redis.call('ZRANGE', K.index, from, from + limit - 1, 'REV', 'WITHSCORES') end
  return redis.call('ZRANGE', K.index, from, from + limit - 1, 'WITHSCORES')
end
