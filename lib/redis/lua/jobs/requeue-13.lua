--[[
  requeue: a completed job runs again with the same id, payload and metadata, kept in its record
  only with COMPLETED_KEEP_PAYLOAD (includes/completed.lua). It leaves completed and joins the
  back of ready as a new job (attempts 0; the queue's default attempts and backoff), with a
  "requeued" history entry.

  KEYS[1..13] keys13 (includes/keys13.lua)
  ARGV[1] id   ARGV[2] max attempts   ARGV[3] backoff base ms   ARGV[4] backoff cap ms
  ARGV[5] history entry (JSON object)

  Returns { code, state }: 1 requeued ("waiting"); 0 already waiting; -1 no state has the job;
  -2 it is in another state (returned); -4 completed, but its record kept no payload ("completed").
]]
--@include keys13
--@include common
--@include state

local id = ARGV[1]
local state = jobState(id)
if state == 'waiting' then return { 0, state } end
if state ~= 'completed' then return { state and -2 or -1, state or '' } end
local rec = redis.call('HGET', K.done, id)
local head, metaLen = nil, nil
if rec then head, metaLen = string.match(rec, '^(%d+:%-?%d+:%d+:%d+):(%d+):') end
if not head then return { -4, state } end
local body = #head + 1 + #metaLen + 2
local meta = string.sub(rec, body, body + tonumber(metaLen) - 1)
local payload = string.sub(rec, body + tonumber(metaLen))
local jobKey = K.jobPrefix .. id
redis.call('HSET', jobKey, 'payload', payload, 'attempts', 0, 'max', ARGV[2], 'bb', ARGV[3], 'bm', ARGV[4],
  'ct', nowMs(), 'hist', '[' .. ARGV[5] .. ']')
if meta ~= '' then redis.call('HSET', jobKey, 'meta', meta) end
redis.call('ZREM', K.completed, id)
redis.call('HDEL', K.done, id)
redis.call('LPUSH', K.ready, id)
count('requeued', 1)
flushStats()
return { 1, 'waiting' }
