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
local function flushStats()
  local touched = false
  for field, n in pairs(counts) do
    redis.call('HINCRBY', K.stats, field, n)
    touched = true
  end
  if touched then
    redis.call('EXPIRE', K.stats, __STATS_TTL__)
  end
end
