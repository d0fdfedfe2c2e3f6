--[[
  Deletes a batch of dead letters of one queue, atomically per batch: each id still in the DLQ
  loses its job hash and leaves the dead zset and its error group (the group and its info go
  when it empties). An id no longer dead is counted as gone and left alone: a job that was
  requeued meanwhile is never deleted by a stale request.

  KEYS[1]  dead zset
  KEYS[2]  index zset the range mode reads (the dead zset, or one group's zset)
  KEYS[3]  groups zset
  KEYS[4]  stats hash of the current minute
  ARGV[1]  queue key base, e.g. "rq:{orders}:" (job:<id>, group:<fp>, groupinfo:<fp>)
  ARGV[2]  stats TTL (s)
  ARGV[3]  "ids": ARGV[4..] are ids | "range": the newest ARGV[6] ids of KEYS[2] scored
           between ARGV[4] (max) and ARGV[5] (min)

  Returns { deleted, gone }
  Job field names are those of JOB_FIELDS (lib/queue/types.ts).
]]
local dead, index, groups, stats = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local base = ARGV[1]

--@include batch

local ids = batchIds(3)

local deleted, gone = 0, 0
for _, id in ipairs(ids) do
  if index ~= dead then redis.call('ZREM', index, id) end
  if redis.call('ZREM', dead, id) == 0 then
    gone = gone + 1
  else
    local key = base .. 'job:' .. id
    leaveGroup(id, redis.call('HGET', key, 'fp'))
    redis.call('DEL', key)
    deleted = deleted + 1
  end
end
dropEmptyGroups()
if deleted > 0 then
  redis.call('HINCRBY', stats, 'deleted', deleted)
  redis.call('EXPIRE', stats, ARGV[2])
end
return { deleted, gone }
