--[[
  fail: handlers that threw. Each attempt's error is appended to the job; with attempts left
  (and reason "failed") the job waits in the retry set until now + delay, otherwise it becomes
  a dead letter (indexed by fingerprint; the DLQ is trimmed by age and cap in the same call).

  KEYS[1..10] active, ready, retry, dead, groups, totals, stats, jobPrefix, groupPrefix,
              groupInfoPrefix (see includes/keys10.lua)

  ARGV[1] consumer id   ARGV[2] DLQ retention ms (0 = keep)   ARGV[3] DLQ cap (0 = none)
  ARGV[4..] 9 per job: id, attempt, error JSON (redacted, starts with {"attempt":), retry delay ms
            (-1 = never retry), reason ("failed" | "unrecoverable" | "corrupt"), fingerprint,
            error name, normalised message, top frame
  ARGV[last] optional, only when the ARGV count is 3 + 9n + 1: the time to record in ms instead of
            Redis's TIME. Test fixtures only (test/harness/dead-letters.ts, to give dead letters a
            chosen dead time); the consumer never sends it. Safe: it changes only times this call
            writes for jobs this caller holds the lease of, which anyone able to run the script
            could write with HSET/ZADD anyway; no API input reaches a script's ARGV.

  Returns an array, one code per job: 1 = retry scheduled, 2 = dead-lettered,
    -3 = not leased by this consumer for this attempt any more (nothing changed).
]]
-- The ten keys of the scripts that may dead-letter a job (lease, fail, reclaim, trimDead).
-- The three prefixes are keys.ts names with an empty id: the script appends id or fingerprint.
local K = {
  active = KEYS[1], ready = KEYS[2], retry = KEYS[3], dead = KEYS[4], groups = KEYS[5],
  totals = KEYS[6], stats = KEYS[7], jobPrefix = KEYS[8], groupPrefix = KEYS[9],
  groupInfoPrefix = KEYS[10],
}

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

-- The errors array with one attempt's error (a JSON object starting with {"attempt":) appended,
-- keeping the newest 25. String operations only: no decode/encode.
local function appendedErrors(cur, errJson)
  if not cur or string.sub(cur, 1, 1) ~= '[' or cur == '[]' then
    return '[' .. errJson .. ']'
  end
  local _, n = string.gsub(cur, '{"attempt":', '')
  cur = string.sub(cur, 1, -2) .. ',' .. errJson .. ']'
  while n >= 25 do
    local p = string.find(cur, ',{"attempt":', 2, true)
    if not p then break end
    cur = '[' .. string.sub(cur, p + 1)
    n = n - 1
  end
  return cur
end

local function appendError(jobKey, errJson)
  redis.call('HSET', jobKey, 'errors', appendedErrors(redis.call('HGET', jobKey, 'errors'), errJson))
end

-- The hash fields a failed attempt writes: errors, lf, and ff when it is the first failure.
-- Callers write them in one HSET (or hand them to deadLetter).
local function failureFields(curErrors, curFf, errJson, now)
  local fields = { 'errors', appendedErrors(curErrors, errJson), 'lf', now }
  if not curFf then
    fields[5] = 'ff'
    fields[6] = now
  end
  return fields
end

-- An error recorded by a script itself (expired lease, corrupt data), as the consumer writes them.
local function errorJson(attempt, name, message, now, consumer)
  return '{"attempt":' .. (tonumber(attempt) or 0) .. ',"name":' .. cjson.encode(name) ..
    ',"message":' .. cjson.encode(message) .. ',"at":' .. now .. ',"consumer":' .. cjson.encode(consumer or '') .. '}'
end

-- Same formula as lib/queue/fingerprint.ts for a failure without a stack.
local function scriptFingerprint(name, message)
  return string.sub(redis.sha1hex(name .. '\n' .. message .. '\n'), 1, 16)
end

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

-- Dead letters: add one (with its group indexes) and trim the DLQ by age and count, bounded
-- per call. Expects K.dead, K.groups, K.totals, K.jobPrefix, K.groupPrefix, K.groupInfoPrefix,
-- and the includes common, errors and groups before it.

local function dropDead(id)
  local jobKey = K.jobPrefix .. id
  local fp = redis.pcall('HGET', jobKey, 'fp')
  redis.call('ZREM', K.dead, id)
  redis.call('DEL', jobKey, logsKeyOf(K.jobPrefix, id))
  leaveGroup(id, fp)
end

-- Drops dead letters older than retentionMs, then the oldest beyond cap; at most `limit`.
local function trimDead(now, retentionMs, cap, limit)
  local byAge, byCap = 0, 0
  if retentionMs > 0 then
    local old = redis.call('ZRANGEBYSCORE', K.dead, '-inf', now - retentionMs, 'LIMIT', 0, limit)
    for _, id in ipairs(old) do dropDead(id) end
    byAge = #old
  end
  if cap > 0 and byAge < limit then
    local excess = redis.call('ZCARD', K.dead) - cap
    if excess > 0 then
      local ids = redis.call('ZRANGE', K.dead, 0, math.min(excess, limit - byAge) - 1)
      for _, id in ipairs(ids) do dropDead(id) end
      byCap = #ids
    end
  end
  dropEmptyGroups()
  if byAge > 0 then redis.call('HINCRBY', K.totals, 'droppedAge', byAge) end
  if byCap > 0 then
    redis.call('HINCRBY', K.totals, 'droppedCap', byCap)
    -- per minute too: the near-cap alert counts the drops of its window (the caller flushes)
    count('droppedCap', byCap)
  end
  if byAge + byCap > 0 then redis.call('HINCRBY', K.totals, 'dropped', byAge + byCap) end
  return byAge + byCap
end

-- Dead letters this call added, indexed by flushDead() at its end: the DLQ, each group's zset,
-- the groups index and each group's info take one command per call (per group) instead of
-- several per dead letter, and the DLQ is trimmed once.
local pendingDead, pendingGroups, pendingFps = {}, {}, {}

-- Moves a job (already out of ready/active/retry) into the DLQ and its error group; the indexes
-- are written by flushDead(), which every caller runs before it returns. `fields`: hash fields
-- of the failure to write in the same HSET (from failureFields), or nil.
local function deadLetter(id, now, reason, fp, gname, gmsg, gframe, fields)
  local jobKey = K.jobPrefix .. id
  local all = fields or {}
  local n = #all
  all[n + 1], all[n + 2], all[n + 3], all[n + 4] = 'fp', fp, 'reason', reason
  all[n + 5], all[n + 6], all[n + 7], all[n + 8] = 'lf', now, 'dt', now
  redis.call('HSET', jobKey, unpack(all))
  if not fields then redis.call('HSETNX', jobKey, 'ff', now) end
  redis.call('HDEL', jobKey, 'lease', 'pf', 'st')
  pendingDead[#pendingDead + 1], pendingDead[#pendingDead + 2] = now, id
  local g = pendingGroups[fp]
  if not g then
    g = { name = gname, message = gmsg, frame = gframe, members = {} }
    pendingGroups[fp] = g
    pendingFps[#pendingFps + 1] = fp
  end
  g.members[#g.members + 1], g.members[#g.members + 2] = now, id
  count('dead', 1)
end

-- Indexes the dead letters of this call (DLQ, group zsets, groups, group info), then trims the
-- DLQ by age and cap: at most 100 entries per dead letter added, as when each trimmed on its own.
local function flushDead(now, retentionMs, cap)
  local added = #pendingDead / 2
  if added == 0 then return end
  callBatched('ZADD', K.dead, pendingDead)
  local groups = {}
  for _, fp in ipairs(pendingFps) do
    local g = pendingGroups[fp]
    callBatched('ZADD', K.groupPrefix .. fp, g.members)
    groups[#groups + 1], groups[#groups + 2] = now, fp
    local gi = K.groupInfoPrefix .. fp
    if redis.call('HSETNX', gi, 'first', now) == 1 then
      redis.call('HSET', gi, 'name', g.name, 'message', g.message, 'frame', g.frame, 'last', now)
    else
      redis.call('HSET', gi, 'last', now)
    end
  end
  callBatched('ZADD', K.groups, groups)
  pendingDead, pendingGroups, pendingFps = {}, {}, {}
  trimDead(now, retentionMs, cap, 100 * added)
end

-- A job whose stored data cannot be read: keep what can be kept, dead-letter it as "corrupt".
local function deadCorrupt(id, now, message, consumer)
  local jobKey = K.jobPrefix .. id
  local t = redis.call('TYPE', jobKey)['ok']
  local raw = ''
  if t ~= 'hash' and t ~= 'none' then
    if t == 'string' then raw = redis.call('GET', jobKey) end
    redis.call('DEL', jobKey)
  end
  redis.call('HSETNX', jobKey, 'payload', raw)
  redis.call('HSETNX', jobKey, 'ct', now)
  appendError(jobKey, errorJson(0, 'CorruptJob', message, now, consumer))
  local fp = scriptFingerprint('CorruptJob', message)
  deadLetter(id, now, 'corrupt', fp, 'CorruptJob', message, '')
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

local consumer = ARGV[1]
local retentionMs, cap = tonumber(ARGV[2]), tonumber(ARGV[3])
local clockArg = (#ARGV - 3) % 9 == 1 and ARGV[#ARGV]
if clockArg and not tonumber(clockArg) then return redis.error_reply('fail: clock must be ms') end
local now = clockArg and tonumber(clockArg) or nowMs()
local last = #ARGV - (clockArg and 1 or 0)
-- Which jobs are still active, asked once for the call (ZMSCORE, in chunks: unpack is bounded);
-- they leave active in one ZREM and the retried ones enter the retry set in one ZADD at the end.
-- (A job's second failure in the same call finds its lease field gone: -3.)
local ids = {}
for i = 4, last, 9 do ids[#ids + 1] = ARGV[i] end
local inActive = {}
for c = 1, #ids, 960 do
  local scores = redis.call('ZMSCORE', K.active, unpack(ids, c, math.min(c + 959, #ids)))
  for j = 1, #scores do inActive[c + j - 1] = scores[j] end
end
local out, gone, retries = {}, {}, {}
for n = 1, #ids do
  local i = 4 + (n - 1) * 9
  local id, attempt = ARGV[i], ARGV[i + 1]
  local jobKey = K.jobPrefix .. id
  -- the lease check: active, and leased by this consumer for this attempt
  local f = inActive[n] and leasedFields(jobKey, consumer, attempt, 'max', 'errors', 'ff')
  if f then
    gone[#gone + 1] = id
    local fields = failureFields(f[4], f[5], ARGV[i + 2], now)
    count('failed', 1)
    local delay, reason = tonumber(ARGV[i + 3]), ARGV[i + 4]
    if reason == 'failed' and delay >= 0 and tonumber(attempt) < (tonumber(f[3]) or 1) then
      -- rt: when the retry is due, i.e. ready to run (the overview's latency counts from there)
      redis.call('HSET', jobKey, 'rt', now + delay, unpack(fields))
      redis.call('HDEL', jobKey, 'lease', 'pf', 'st')
      retries[#retries + 1], retries[#retries + 2] = now + delay, id
      count('retried', 1)
      out[n] = 1
    else
      -- a job that had been given a retry and still died: the retry success rate's failures
      if tonumber(attempt) > 1 then count('retryDead', 1) end
      deadLetter(id, now, reason, ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8], fields)
      out[n] = 2
    end
  else
    out[n] = -3
  end
end
callBatched('ZREM', K.active, gone)
callBatched('ZADD', K.retry, retries)
flushDead(now, retentionMs, cap)
flushStats()
return out
