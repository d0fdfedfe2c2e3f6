-- The errors array with one attempt's error (a JSON object starting with {"attempt":) appended,
-- keeping the newest __MAX_ERRORS__. String operations only: no decode/encode.
local function appendedErrors(cur, errJson)
  if not cur or string.sub(cur, 1, 1) ~= '[' or cur == '[]' then
    return '[' .. errJson .. ']'
  end
  local _, n = string.gsub(cur, '{"attempt":', '')
  cur = string.sub(cur, 1, -2) .. ',' .. errJson .. ']'
  while n >= __MAX_ERRORS__ do
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
