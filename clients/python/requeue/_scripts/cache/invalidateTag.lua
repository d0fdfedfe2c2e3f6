--[[
  invalidateTag: every entry that recorded the tag's version becomes a miss.
  The version outlives every entry that recorded it (the namespace's longest lifetime), so an
  expired version can never make an invalidated entry valid again.

  KEYS[1] namespace meta   KEYS[2] tag version key

  Returns the new version.
]]
local v = redis.call('INCR', KEYS[2])
local keep = math.max(tonumber(redis.call('HGET', KEYS[1], 'maxttl') or '0'), redis.call('PTTL', KEYS[2]), 60000)
redis.call('PEXPIRE', KEYS[2], keep)
return v
