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
  KEYS[7..9] jobPrefix, groupPrefix, groupInfoPrefix: keys.job(""), keys.group(""),
           keys.groupInfo(""); the script appends an id or fingerprint (docs/storage.md)
  ARGV[1]  now (ms)
  ARGV[2]  due time (ms) for a delayed requeue, "0" = ready now
  ARGV[3]  edited payload, JSON text ("" = keep the payload)
  ARGV[4]  who requeued ("" = unknown)
  ARGV[5]  "ids": ARGV[6..] are ids | "range": the newest ARGV[8] ids of KEYS[2] scored
           between ARGV[6] (max) and ARGV[7] (min)

  Returns { requeued, gone }
  Job field names are those of JOB_FIELDS (lib/queue/types.ts).
]]
local K = { dead = KEYS[1], index = KEYS[2], ready = KEYS[3], retry = KEYS[4], groups = KEYS[5],
  stats = KEYS[6], jobPrefix = KEYS[7], groupPrefix = KEYS[8], groupInfoPrefix = KEYS[9] }
local now, due, payload, by = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local HISTORY_MAX_BYTES, HISTORY_KEEP = 65536, 20
--@include common
--@include groups
--@include batch

local ids = batchIds(5)
leaveIndex(ids)

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
  local key = leaveDead(id)
  if not key then
    gone = gone + 1
  else
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
      -- rt: when it is ready to run again (the overview's latency counts from there)
      redis.call('HSET', key, 'attempts', 0, 'hist', appendHistory(f[4], hist), 'rt', due > 0 and due or now)
      redis.call('HDEL', key, 'reason', 'dt')
      if due > 0 then redis.call('ZADD', K.retry, due, id) else toReady[#toReady + 1] = id end
      requeued = requeued + 1
    end
  end
end
dropEmptyGroups()
if #toReady > 0 then redis.call('LPUSH', K.ready, unpack(toReady)) end
if requeued > 0 then count('requeued', requeued) end
flushStats()
return { requeued, gone }
