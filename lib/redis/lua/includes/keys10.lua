-- The ten keys of the scripts that may dead-letter a job (lease, fail, reclaim, trimDead).
-- The three prefixes are keys.ts names with an empty id: the script appends id or fingerprint.
local K = {
  active = KEYS[1], ready = KEYS[2], retry = KEYS[3], dead = KEYS[4], groups = KEYS[5],
  totals = KEYS[6], stats = KEYS[7], jobPrefix = KEYS[8], groupPrefix = KEYS[9],
  groupInfoPrefix = KEYS[10],
}
