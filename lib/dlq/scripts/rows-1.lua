--[[
  The list's fields of some dead letters of one queue, for the rows a page keeps. Ids no longer
  in the DLQ (or without a job hash) are left out. Read-only; at most a page (200) of ids.

  KEYS[1]  dead zset
  ARGV[1]  job key prefix, e.g. "rq:{orders}:job:" (same hash tag as KEYS[1])
  ARGV[2..] ids

  Returns { [id, score, attempts, max, fp, reason, ff, lf, dt, ct, errors, payloadBytes] * found }
  Job field names are those of JOB_FIELDS (lib/queue/types.ts).
]]
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score then
    local key = ARGV[1] .. id
    local f = redis.call('HMGET', key, 'attempts', 'max', 'fp', 'reason', 'ff', 'lf', 'dt', 'ct', 'errors')
    if f[8] or f[1] then
      local row = { id, score, f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '', f[6] or '',
        f[7] or '', f[8] or '', f[9] or '', redis.call('HSTRLEN', key, 'payload') }
      for _, v in ipairs(row) do out[#out + 1] = v end
    end
  end
end
return out
