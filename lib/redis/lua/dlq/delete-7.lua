--[[
  Deletes a batch of dead letters of one queue, atomically per batch: each id still in the DLQ
  loses its job hash (and logs) and leaves the dead zset and its error group (the group and its info go
  when it empties). An id no longer dead is counted as gone and left alone: a job that was
  requeued meanwhile is never deleted by a stale request.

  KEYS[1]  dead zset
  KEYS[2]  index zset the range mode reads (the dead zset, or one group's zset)
  KEYS[3]  groups zset
  KEYS[4]  stats hash of the current minute
  KEYS[5..7] jobPrefix, groupPrefix, groupInfoPrefix: keys.job(""), keys.group(""),
           keys.groupInfo(""); the script appends an id or fingerprint (docs/storage.md)
  ARGV[1]  "ids": ARGV[2..] are ids | "range": the newest ARGV[4] ids of KEYS[2] scored
           between ARGV[2] (max) and ARGV[3] (min)

  Returns { deleted, gone }
  Job field names are those of JOB_FIELDS (lib/queue/types.ts).
]]
local K = { dead = KEYS[1], index = KEYS[2], groups = KEYS[3], stats = KEYS[4], jobPrefix = KEYS[5],
  groupPrefix = KEYS[6], groupInfoPrefix = KEYS[7] }
--@include common
--@include groups
--@include batch

local ids = batchIds(1)
leaveIndex(ids)

local deleted, gone = 0, 0
for _, id in ipairs(ids) do
  local key = leaveDead(id)
  if not key then
    gone = gone + 1
  else
    leaveGroup(id, redis.call('HGET', key, 'fp'))
    redis.call('DEL', key, logsKeyOf(K.jobPrefix, id))
    deleted = deleted + 1
  end
end
dropEmptyGroups()
if deleted > 0 then count('deleted', deleted) end
flushStats()
return { deleted, gone }
