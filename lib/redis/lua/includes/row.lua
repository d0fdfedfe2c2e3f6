-- A dead letter's list row, appended to `out`: id, score, attempts, max, fp, reason, ff, lf, dt,
-- ct, last error, payload bytes (ROW_WIDTH in lib/dlq/scripts.ts). The last error is the job's
-- `le` ({"n","name","message"}: with the count of errors), not its errors array with every stack;
-- a dead letter without `le` (written before it, docs/storage.md) sends the whole array in its
-- place, which lib/dlq/read.ts counts itself. Returns false, appending nothing, when the job hash
-- is gone. Job field names are those of JOB_FIELDS (lib/queue/types.ts).
local function pushRow(out, jobKey, id, score)
  local f = redis.call('HMGET', jobKey, 'attempts', 'max', 'fp', 'reason', 'ff', 'lf', 'dt', 'ct', 'le')
  if not (f[8] or f[1]) then return false end
  local last = f[9]
  if not last or last == '' then last = redis.call('HGET', jobKey, 'errors') end
  local row = { id, score, f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '', f[6] or '',
    f[7] or '', f[8] or '', last or '', redis.call('HSTRLEN', jobKey, 'payload') }
  for _, v in ipairs(row) do out[#out + 1] = v end
  return true
end
