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
