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
