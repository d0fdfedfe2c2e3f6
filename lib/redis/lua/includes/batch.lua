-- What the DLQ's batch calls (requeue, delete) share. Expects K.index, K.dead, K.jobPrefix.

-- The ids of the batch: ARGV[m] is "ids" (ARGV[m+1..] are the ids) or "range" (the newest
-- ARGV[m+3] ids of K.index scored between ARGV[m+1] (max) and ARGV[m+2] (min)).
local function batchIds(m)
  if ARGV[m] == 'range' then
    return redis.call('ZREVRANGEBYSCORE', K.index, ARGV[m + 1], ARGV[m + 2], 'LIMIT', 0, tonumber(ARGV[m + 3]))
  end
  return { unpack(ARGV, m + 1) }
end

-- Takes the batch's ids out of K.index when it is not K.dead (a group's zset), in one ZREM
-- instead of one per id. Expects callBatched (includes/common.lua).
local function leaveIndex(ids)
  if K.index ~= K.dead then callBatched('ZREM', K.index, ids) end
end

-- Takes an id of the batch out of K.dead (after leaveIndex). Returns its job key when it was a
-- dead letter, nil when it was not (requeued or deleted meanwhile: the caller counts it as gone).
local function leaveDead(id)
  if redis.call('ZREM', K.dead, id) == 0 then return nil end
  return K.jobPrefix .. id
end
