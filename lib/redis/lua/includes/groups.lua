-- Error-group upkeep when dead letters leave the DLQ (requeue, delete, retention, cap): the id
-- leaves its group's zset; a group the call emptied leaves K.groups and loses its info, checked
-- once per group by dropEmptyGroups() at the end. Expects K.groups, K.groupPrefix,
-- K.groupInfoPrefix, and K.index when the caller already removed the id from one group's zset.
local touched = {}
local function leaveGroup(id, fp)
  if type(fp) ~= 'string' or fp == '' then return end
  local group = K.groupPrefix .. fp
  if group ~= K.index then redis.call('ZREM', group, id) end
  touched[group] = fp
end

local function dropEmptyGroups()
  for group, fp in pairs(touched) do
    if redis.call('ZCARD', group) == 0 then
      redis.call('ZREM', K.groups, fp)
      redis.call('DEL', K.groupInfoPrefix .. fp)
    end
  end
  touched = {}
end
