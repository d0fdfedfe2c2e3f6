-- What a batch call (requeue, delete) shares. Expects `base` (the queue's key base), `index` (the
-- zset a range reads) and `groups` (the groups zset) as locals of the including script.

-- The ids of the batch: ARGV[m] is "ids" (ARGV[m+1..] are the ids) or "range" (the newest
-- ARGV[m+3] ids of `index` scored between ARGV[m+1] (max) and ARGV[m+2] (min)).
local function batchIds(m)
  if ARGV[m] == 'range' then
    return redis.call('ZREVRANGEBYSCORE', index, ARGV[m + 1], ARGV[m + 2], 'LIMIT', 0, tonumber(ARGV[m + 3]))
  end
  return { unpack(ARGV, m + 1) }
end

-- Groups touched by this batch: emptied ones leave the groups zset (and lose their info) at the end.
local touched = {}
local function leaveGroup(id, fp)
  if not fp or fp == '' then return end
  local group = base .. 'group:' .. fp
  if group ~= index then redis.call('ZREM', group, id) end
  touched[group] = fp
end

local function dropEmptyGroups()
  for group, fp in pairs(touched) do
    if redis.call('ZCARD', group) == 0 then
      redis.call('ZREM', groups, fp)
      redis.call('DEL', base .. 'groupinfo:' .. fp)
    end
  end
end
