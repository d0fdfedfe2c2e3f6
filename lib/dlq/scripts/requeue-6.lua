--[[
  Requeues a batch of dead letters of one queue, atomically per batch: each id still in the DLQ
  leaves the dead zset and its error group (the group and its info go when it empties), gets a
  fresh attempt budget (a manual requeue does not spend the job's retries), a history entry
  (and the edited payload, the original kept in the history), and goes to ready (or to the
  retry set when delayed). An id no longer dead is counted as gone and left alone, so running
  the same requeue twice makes one job.

  KEYS[1]  dead zset
  KEYS[2]  index zset the range mode reads (the dead zset, or one group's zset)
  KEYS[3]  ready list
  KEYS[4]  retry zset
  KEYS[5]  groups zset
  KEYS[6]  stats hash of the current minute
  ARGV[1]  queue key base, e.g. "rq:{orders}:" (job:<id>, group:<fp>, groupinfo:<fp>)
  ARGV[2]  now (ms)
  ARGV[3]  due time (ms) for a delayed requeue, "0" = ready now
  ARGV[4]  edited payload, JSON text ("" = keep the payload)
  ARGV[5]  who requeued ("" = unknown)
  ARGV[6]  stats TTL (s)
  ARGV[7]  "ids": ARGV[8..] are ids | "range": the newest ARGV[10] ids of KEYS[2] scored
           between ARGV[8] (max) and ARGV[9] (min)

  Returns { requeued, gone }
  Job field names are those of JOB_FIELDS (lib/queue/types.ts).
]]
local dead, index, ready, retry, groups, stats = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local base, now, due, payload, by = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local HISTORY_MAX_BYTES, HISTORY_KEEP = 65536, 20

--@include batch

local ids = batchIds(7)

-- Appends entries (JSON objects, comma-separated) to the history array without decoding it,
-- unless it is unreadable or too long: then it keeps the newest HISTORY_KEEP entries.
local function appendHistory(h, entries)
  if not h or h == '' or h == '[]' then return '[' .. entries .. ']' end
  if #h < HISTORY_MAX_BYTES and string.sub(h, 1, 1) == '[' and string.sub(h, -1) == ']' then
    return string.sub(h, 1, -2) .. ',' .. entries .. ']'
  end
  local ok, list = pcall(cjson.decode, h)
  if not ok or type(list) ~= 'table' then return '[' .. entries .. ']' end
  local kept = {}
  for i = math.max(1, #list - HISTORY_KEEP + 1), #list do kept[#kept + 1] = cjson.encode(list[i]) end
  kept[#kept + 1] = entries
  return '[' .. table.concat(kept, ',') .. ']'
end

local function entry(action, original)
  local e = { at = tonumber(now), action = action }
  if by ~= '' then e.by = by end
  if original then e.originalPayload = original end
  return cjson.encode(e)
end

local requeuedEntry = entry('requeued')
local requeued, gone, toReady = 0, 0, {}
for _, id in ipairs(ids) do
  if index ~= dead then redis.call('ZREM', index, id) end
  if redis.call('ZREM', dead, id) == 0 then
    gone = gone + 1
  else
    local key = base .. 'job:' .. id
    local f = redis.call('HMGET', key, 'fp', 'ct', 'attempts', 'hist')
    leaveGroup(id, f[1])
    if not (f[2] or f[3]) then
      gone = gone + 1 -- an index entry without its job hash: nothing to requeue
    else
      local hist = requeuedEntry
      if payload ~= '' then
        hist = entry('payload-edited', redis.call('HGET', key, 'payload') or '') .. ',' .. hist
        redis.call('HSET', key, 'payload', payload)
      end
      redis.call('HSET', key, 'attempts', 0, 'hist', appendHistory(f[4], hist))
      redis.call('HDEL', key, 'reason', 'dt')
      if due > 0 then redis.call('ZADD', retry, due, id) else toReady[#toReady + 1] = id end
      requeued = requeued + 1
    end
  end
end
dropEmptyGroups()
if #toReady > 0 then redis.call('LPUSH', ready, unpack(toReady)) end
if requeued > 0 then
  redis.call('HINCRBY', stats, 'requeued', requeued)
  redis.call('EXPIRE', stats, ARGV[6])
end
return { requeued, gone }
