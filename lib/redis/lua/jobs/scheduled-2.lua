--[[
  scheduled: a page of the retry set (retries and delayed jobs), the next due first. A retry has
  attempts > 0 and its last error is returned; a delayed job has none. O(log n + page). Read-only.

  KEYS[1] retry  KEYS[2] jobPrefix
  ARGV[1] cursor score ("" = none)  ARGV[2] cursor id ("" = none)  ARGV[3] limit

  Returns { size of retry,
            [id, due, attempts, maxAttempts, createdAt, last error (JSON object, "" = none),
             payload bytes] * rows }
]]
local K = { index = KEYS[1], jobPrefix = KEYS[2] }
--@include zcursor

local page = pageAfter(false, ARGV[1], ARGV[2], tonumber(ARGV[3]))
local out = { redis.call('ZCARD', K.index) }
for i = 1, #page, 2 do
  local id, due = page[i], page[i + 1]
  local key = K.jobPrefix .. id
  local f = redis.call('HMGET', key, 'attempts', 'max', 'ct', 'errors')
  local last = ''
  if f[4] then
    local ok, list = pcall(cjson.decode, f[4])
    if ok and type(list) == 'table' and #list > 0 then last = cjson.encode(list[#list]) end
  end
  local row = { id, due, f[1] or '', f[2] or '', f[3] or '', last, redis.call('HSTRLEN', key, 'payload') }
  for _, v in ipairs(row) do out[#out + 1] = v end
end
return out
