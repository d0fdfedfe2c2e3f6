--[[
  complete: handlers that succeeded; each job leaves active for completed, its hash is deleted
  (with its logs) and a small record is kept in `done` (includes/completed.lua). Only the consumer
  holding the lease for that attempt may complete it.

  KEYS[1] active  KEYS[2] completed  KEYS[3] stats  KEYS[4] jobPrefix  KEYS[5] done

  ARGV[1] consumer id   ARGV[2] completed cap (0 = no cap)
  ARGV[3] "1": the record keeps payload and metadata (COMPLETED_KEEP_PAYLOAD)
  ARGV[4..] triples: id, attempt, handler time in ms (-1 = not measured; includes/duration.lua)

  Returns an array, one code per job: 1 = completed, -3 = not leased by this consumer for this
  attempt any more (lease expired and reclaimed, or released): nothing changed.
]]
local K = { active = KEYS[1], completed = KEYS[2], stats = KEYS[3], jobPrefix = KEYS[4], done = KEYS[5] }
-- Shared helpers (textually included by the loader). Expects a table K with the keys in use.

-- Redis time in ms: every process sees the same clock.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Per-minute counters, accumulated in the script and written once at the end.
local counts = {}
local function count(field, n)
  counts[field] = (counts[field] or 0) + n
end
-- EXPIRE only when a counter was just created (its new value is the increment): a few times
-- a minute instead of on every call.
local function flushStats()
  local fresh = false
  for field, n in pairs(counts) do
    if redis.call('HINCRBY', K.stats, field, n) == n then fresh = true end
  end
  if fresh then
    redis.call('EXPIRE', K.stats, 691200)
  end
end

-- The log list of a job (keys.logs(id) in lib/redis/keys.ts): the job prefix `<base>:job:` with
-- `job:` replaced by `logs:`. Derived here so every script that deletes a job hash deletes its
-- logs without one more KEYS entry (docs/storage.md); lib/queue/reports.test.ts checks it.
local function logsKeyOf(jobPrefix, id)
  return string.sub(jobPrefix, 1, -5) .. 'logs:' .. id
end

-- `redis.call(cmd, key, args…)` (key nil: `cmd args…`) in calls of at most 960 arguments (a
-- multiple of 1…6 and 8: pairs and triples are never split; Lua's unpack has a bounded stack).
-- One command for a batch of jobs instead of one per job.
local function callBatched(cmd, key, args)
  for i = 1, #args, 960 do
    local last = math.min(i + 959, #args)
    if key then redis.call(cmd, key, unpack(args, i, last)) else redis.call(cmd, unpack(args, i, last)) end
  end
end

-- The lease-owner check of complete, extend, fail and release: the job hash's `lease` must be
-- this consumer and its `attempts` the attempt it leased. Returns the HMGET reply (lease,
-- attempts, then the fields asked for in `...`) when both match, else nil. pcall: a job key of
-- another type counts as not leased.
local function leasedFields(jobKey, consumer, attempt, ...)
  local f = redis.pcall('HMGET', jobKey, 'lease', 'attempts', ...)
  if type(f) == 'table' and not f.err and f[1] == consumer and f[2] == attempt then return f end
  return nil
end

-- Processing time histogram (lib/queue/durations.ts): a completed job's handler time (ms) adds
-- 1 to the stats field pt<bucket>; buckets 1.5× wider each, bucket 0 up to 1 ms.
-- Expects `count` (common). A missing or negative duration (an older consumer) counts nothing.
local LOG_PT_FACTOR = math.log(1.5)
local function countDuration(ms)
  ms = tonumber(ms)
  if not ms or ms < 0 then return end
  local b = 0
  if ms > 1 then
    b = math.min(40 - 1, math.ceil(math.log(ms / 1) / LOG_PT_FACTOR))
  end
  count('pt' .. b, 1)
end

-- The record a completed job leaves in K.done (its hash is deleted), and the trimming that keeps
-- K.completed and K.done together. A record is "finished:durationMs:attempts:createdAt", and
-- when the payload is kept ":<bytes of meta>:<meta><payload>" after it (lib/queue/completed.ts
-- reads it). Bounded like the completed zset: by COMPLETED_RETENTION_SECONDS and COMPLETED_MAX_ENTRIES.
local function completedRecord(now, startedAt, attempts, createdAt, payload, meta)
  local ran = tonumber(startedAt) and (now - tonumber(startedAt)) or -1
  local rec = now .. ':' .. ran .. ':' .. attempts .. ':' .. (createdAt or 0)
  if payload then
    meta = meta or ''
    rec = rec .. ':' .. #meta .. ':' .. meta .. payload
  end
  return rec
end

-- Drops completed ids (and their records).
local function dropCompleted(ids)
  if #ids == 0 then return 0 end
  redis.call('ZREM', K.completed, unpack(ids))
  redis.call('HDEL', K.done, unpack(ids))
  return #ids
end

-- The oldest beyond `cap` (0 = no cap). Run on every complete, so the excess is a batch at most.
local function trimCompletedCap(cap, limit)
  if not cap or cap <= 0 then return 0 end
  local over = redis.call('ZCARD', K.completed) - cap
  if over <= 0 then return 0 end
  if limit then over = math.min(over, limit) end
  return dropCompleted(redis.call('ZRANGE', K.completed, 0, over - 1))
end

local consumer, keep = ARGV[1], ARGV[3] == '1'
local now = nowMs()
local out = {}
-- what every completed job writes, gathered and written in one command each after the loop
local scored, records, gone = {}, {}, {}
for i = 4, #ARGV, 3 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  local jobKey = K.jobPrefix .. id
  local f
  if keep then f = leasedFields(jobKey, consumer, attempt, 'st', 'ct', 'payload', 'meta')
  else f = leasedFields(jobKey, consumer, attempt, 'st', 'ct') end
  -- ZREM per job: it is what refuses a second completion of the same lease (a repeated id)
  if f and redis.call('ZREM', K.active, id) == 1 then
    local n = #scored
    scored[n + 1], scored[n + 2] = now, id
    records[n + 1], records[n + 2] = id, completedRecord(now, f[3], attempt, f[4], f[5], f[6])
    gone[n + 1], gone[n + 2] = jobKey, logsKeyOf(K.jobPrefix, id)
    count('completed', 1)
    if tonumber(attempt) > 1 then count('retrySucceeded', 1) end
    countDuration(ARGV[i + 2])
    out[#out + 1] = 1
  else
    out[#out + 1] = -3
  end
end
callBatched('ZADD', K.completed, scored)
callBatched('HSET', K.done, records)
callBatched('DEL', nil, gone)
trimCompletedCap(tonumber(ARGV[2]))
flushStats()
return out
