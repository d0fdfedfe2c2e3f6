--[[
  Scans one index of dead letters (a queue's dead zset or one error group's zset) newest first,
  from a position, and returns the entries that match, with the fields a list row needs.
  Reads at most ARGV[7] ids per call, so a text search over a million entries is many short
  calls, never one long one. Read-only.

  KEYS[1]  index zset: id -> dead at (ms)
  KEYS[2]  jobPrefix: keys.job(""); the script appends each id (docs/storage.md)
  ARGV[1]  upper score bound (inclusive), a number or "+inf"
  ARGV[2]  lower score bound (inclusive), a number or "-inf"
  ARGV[3]  what to do with ids scored exactly ARGV[1]: "all" keep them, "none" skip them,
           "after" keep only those after ARGV[4] in newest-first order (member < ARGV[4] bytewise)
  ARGV[4]  the id to resume after (with "after")
  ARGV[5]  matches wanted (>= 1)
  ARGV[6]  lowercase text to find in an attempt's error message ("" = no text filter)
  ARGV[7]  ids to read at most (>= ARGV[5])
  ARGV[8]  ARGV[6] when JSON writes it unescaped, "" when it must be matched on decoded messages
  ARGV[9]  "count" to count matches without returning them, "pos" to return only id and score
           of each (no text filter; the caller reads the fields of the rows it keeps), "" = rows

  Returns { more, lastScore, lastId, scanned, found, [id, score, attempts, max, fp, reason, ff, lf, dt,
            ct, lastError, payloadBytes] * matches }   (with "pos": [id, score] * matches;
            lastError: the job's `le` (with the error count), or its whole errors array without it: includes/row.lua)
  more = 1 when ids may remain below (lastScore, lastId), 0 when the index is exhausted.
  Job field names are those of JOB_FIELDS (lib/queue/types.ts).
]]
--@include row
--@include bytes

local index, prefix = KEYS[1], KEYS[2]
local hi, lo, ties, afterId = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local want, needle, budget, rawNeedle = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), ARGV[8]
local loNum = tonumber(lo) or -math.huge
local countOnly, posOnly = ARGV[9] == 'count', ARGV[9] == 'pos'

-- The rank (0-based, newest first) of the first id to read.
local function startRank()
  local above = 0
  if hi ~= '+inf' then above = redis.call('ZCOUNT', index, '(' .. hi, '+inf') end
  if ties == 'all' or hi == '+inf' then return above end
  if ties == 'none' then return above + redis.call('ZCOUNT', index, hi, hi) end
  local r = redis.call('ZREVRANK', index, afterId)
  if r and tonumber(redis.call('ZSCORE', index, afterId)) == tonumber(hi) then return r + 1 end
  -- The id is gone: skip the ties that sort before it (members greater than it, bytewise).
  local skip, off = 0, 0
  while true do
    local ids = redis.call('ZREVRANGEBYSCORE', index, hi, hi, 'LIMIT', off, 500)
    for _, id in ipairs(ids) do
      if bytesLess(id, afterId) then return above + skip end
      skip = skip + 1
    end
    if #ids < 500 then return above + skip end
    off = off + 500
  end
end

-- The position of the quote that closes the JSON string whose text starts at i (the first quote
-- not escaped by an odd run of backslashes), nil when there is none.
local function closingQuote(s, i)
  while true do
    local q = string.find(s, '"', i, true)
    if not q then return nil end
    local k = q - 1
    while string.byte(s, k) == 92 do k = k - 1 end
    if (q - 1 - k) % 2 == 0 then return q end
    i = q + 1
  end
end

-- Whether position f of a JSON string's raw text lies inside an escape that starts before it
-- (the n of \n, the hex digits of \u00e9): text found there is not in the message itself.
local function inEscape(s, f)
  for b = f - 1, math.max(1, f - 5), -1 do
    if string.byte(s, b) == 92 then
      local k = b - 1
      while string.byte(s, k) == 92 do k = k - 1 end
      if (b - k) % 2 == 0 then return false end -- b ends an escaped backslash
      return f == b + 1 or string.byte(s, b + 1) == 117 -- \uXXXX covers 5 characters after b
    end
  end
  return false
end

-- Whether a message's raw text, lowercase, holds rawNeedle (which has no backslash) as text.
local function rawHas(low)
  local init = 1
  while true do
    local f = string.find(low, rawNeedle, init, true)
    if not f then return false end
    if not inEscape(low, f) then return true end
    init = f + 1
  end
end

-- Whether an attempt's error message contains the text. JSON.stringify and cjson write no spaces
-- and escape every quote inside a value, so '"message":"' in the raw JSON is always the key, and
-- it is lowercase: only the message values are lowercased (a few hundred bytes, not the ~3 KB of
-- the array with its stacks), and matched raw when the text needs no escaping, else decoded.
local function matches(errors)
  if needle == '' then return true end
  if not errors then return false end
  local pos = 1
  while true do
    local _, e = string.find(errors, '"message":"', pos, true)
    if not e then return false end
    local close = closingQuote(errors, e + 1)
    if not close then return false end
    local raw = string.sub(errors, e + 1, close - 1)
    if rawNeedle ~= '' then
      if rawHas(string.lower(raw)) then return true end
    else
      local ok, text = pcall(cjson.decode, '"' .. raw .. '"')
      if ok and type(text) == 'string' and string.find(string.lower(text), needle, 1, true) then
        return true
      end
    end
    pos = close + 1
  end
end

local out = { 1, '', '', 0, 0 }
local found, scanned, rank = 0, 0, startRank()
local step = math.min(budget, math.max(want, 100))
while scanned < budget and found < want do
  local batch = redis.call('ZREVRANGE', index, rank, rank + math.min(step, budget - scanned) - 1, 'WITHSCORES')
  if #batch == 0 then out[1] = 0 break end
  for i = 1, #batch, 2 do
    local id, score = batch[i], batch[i + 1]
    if tonumber(score) < loNum then out[1] = 0 break end
    scanned = scanned + 1
    out[2], out[3] = score, id
    local key = prefix .. id
    if posOnly then
      if redis.call('EXISTS', key) == 1 then
        found = found + 1
        out[#out + 1] = id
        out[#out + 1] = score
      end
    elseif countOnly then
      if matches(redis.call('HGET', key, 'errors')) then found = found + 1 end
    elseif needle == '' or matches(redis.call('HGET', key, 'errors')) then
      if pushRow(out, key, id, score) then found = found + 1 end
    end
    if found >= want or scanned >= budget then break end
  end
  if out[1] == 0 then break end
  rank = rank + #batch / 2
end
if out[1] == 1 and found < want and scanned < budget then out[1] = 0 end
out[4], out[5] = scanned, found
return out
