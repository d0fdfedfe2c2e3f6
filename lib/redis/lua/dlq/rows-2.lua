--[[
  The list's fields of some dead letters of one queue, for the rows a page keeps. Ids no longer
  in the DLQ (or without a job hash) are left out. Read-only; at most a page (200) of ids.

  KEYS[1]  dead zset
  KEYS[2]  jobPrefix: keys.job(""); the script appends each id (docs/storage.md)
  ARGV[1..] ids

  Returns { [id, score, attempts, max, fp, reason, ff, lf, dt, ct, lastError, payloadBytes]
            * found }   (lastError: the job's `le` with the error count, or its whole errors array without it: includes/row.lua)
]]
--@include row

local out = {}
for _, id in ipairs(ARGV) do
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score then pushRow(out, KEYS[2] .. id, id, score) end
end
return out
