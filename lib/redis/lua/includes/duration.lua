-- Processing time histogram (lib/queue/durations.ts): a completed job's handler time (ms) adds
-- 1 to the stats field pt<bucket>; buckets __PT_FACTOR__× wider each, bucket 0 up to __PT_BASE__ ms.
-- Expects `count` (common). A missing or negative duration (an older consumer) counts nothing.
local LOG_PT_FACTOR = math.log(__PT_FACTOR__)
local function countDuration(ms)
  ms = tonumber(ms)
  if not ms or ms < 0 then return end
  local b = 0
  if ms > __PT_BASE__ then
    b = math.min(__PT_BUCKETS__ - 1, math.ceil(math.log(ms / __PT_BASE__) / LOG_PT_FACTOR))
  end
  count('pt' .. b, 1)
end
