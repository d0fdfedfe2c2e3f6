-- The errors array with one attempt's error (a JSON object starting with {"attempt":) appended,
-- keeping the newest __MAX_ERRORS__, and how many it then holds. String operations only: no
-- decode/encode.
local function appendedErrors(cur, errJson)
  if not cur or string.sub(cur, 1, 1) ~= '[' or cur == '[]' then
    return '[' .. errJson .. ']', 1
  end
  local _, n = string.gsub(cur, '{"attempt":', '')
  cur = string.sub(cur, 1, -2) .. ',' .. errJson .. ']'
  while n >= __MAX_ERRORS__ do
    local p = string.find(cur, ',{"attempt":', 2, true)
    if not p then break end
    cur = '[' .. string.sub(cur, p + 1)
    n = n - 1
  end
  return cur, n + 1
end

-- An attempt's error as a DLQ list row shows it, with how many errors the array holds:
-- {"n","name","message"} (JSON), decoded from that one error, not the array. One field, not two:
-- a field costs ~60 bytes of Redis memory per dead letter. "" when it cannot be decoded (cjson
-- refuses a lone surrogate escape): the row then reads the errors array, as for a dead letter from
-- before `le` (docs/storage.md).
local function errorSummary(errJson, n)
  local ok, e = pcall(cjson.decode, errJson)
  if not ok or type(e) ~= 'table' then return '' end
  local function text(v) return (type(v) == 'string' or type(v) == 'number') and tostring(v) or '' end
  return cjson.encode({ n = n, name = text(e.name), message = text(e.message) })
end

-- Recording one more error writes two fields together: errors and le (the newest error's summary
-- and the count), so a list row reads one small field, not the array.
local function errorFields(curErrors, errJson)
  local errors, n = appendedErrors(curErrors, errJson)
  return { 'errors', errors, 'le', errorSummary(errJson, n) }
end

local function appendError(jobKey, errJson)
  redis.call('HSET', jobKey, unpack(errorFields(redis.call('HGET', jobKey, 'errors'), errJson)))
end

-- The hash fields a failed attempt writes: errors, le, lf, and ff when it is the first failure.
-- Callers write them in one HSET (or hand them to deadLetter).
local function failureFields(curErrors, curFf, errJson, now)
  local fields = errorFields(curErrors, errJson)
  local n = #fields
  fields[n + 1], fields[n + 2] = 'lf', now
  if not curFf then
    fields[n + 3], fields[n + 4] = 'ff', now
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
