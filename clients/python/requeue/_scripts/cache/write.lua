--[[
  write: one cache entry, unless the namespace was flushed or a tag invalidated since the read.
  Writes the header's generation and tag versions, keeps each tag version alive at least as long
  as the entry, records the namespace's longest lifetime, releases the caller's lock.

  KEYS[1] entry   KEYS[2] generation   KEYS[3] namespace meta   KEYS[4] lock of the entry
  KEYS[5..] tag version keys (one per tag)

  ARGV[1] expected generation ('' = current)   ARGV[2] lifetime ms   ARGV[3] header head
  ARGV[4] payload   ARGV[5] lock token ('' = none)
  then n tag names, then n expected versions ('' = current)

  Returns 1 written, 0 skipped (the namespace was flushed or a tag invalidated since the read).
]]
if ARGV[5] ~= '' and redis.call('GET', KEYS[4]) == ARGV[5] then redis.call('DEL', KEYS[4]) end
local gen = redis.call('GET', KEYS[2]) or '0'
if ARGV[1] ~= '' and ARGV[1] ~= gen then return 0 end
local n = #KEYS - 4
local ttl = tonumber(ARGV[2])
local parts = {}
for i = 1, n do
  local cur = redis.call('GET', KEYS[4 + i]) or '0'
  local want = ARGV[5 + n + i]
  if want ~= '' and want ~= cur then return 0 end
  parts[i] = ARGV[5 + i] .. '=' .. cur
  local pttl = redis.call('PTTL', KEYS[4 + i])
  if pttl >= 0 and pttl < ttl then redis.call('PEXPIRE', KEYS[4 + i], ttl) end
end
redis.call('SET', KEYS[1], ARGV[3] .. '|' .. gen .. '|' .. table.concat(parts, ',') .. '\n' .. ARGV[4], 'PX', ttl)
if ttl > tonumber(redis.call('HGET', KEYS[3], 'maxttl') or '0') then redis.call('HSET', KEYS[3], 'maxttl', ttl) end
return 1
