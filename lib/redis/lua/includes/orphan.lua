-- Whether an active job's lease is held by nobody alive: its deadline has passed (a reclaim is
-- due), or its consumer's heartbeat (K.consumers, written by extend-3.lua as
-- "<beat ms> <interval ms> <pid> <host>") is older than three of its intervals. A consumer with
-- no heartbeat yet (its first extension comes a third of a lease after it leased) counts as alive
-- until the deadline. Returns orphaned (boolean) and the heartbeat text (or false).
local function leaseOrphaned(now, deadline, consumer)
  if tonumber(deadline) <= now then return true, false end
  local beat = consumer and redis.call('HGET', K.consumers, consumer)
  if not beat then return false, false end
  local at, every = string.match(beat, '^(%d+) (%d+)')
  if not at then return false, beat end
  return now - tonumber(at) > 3 * tonumber(every), beat
end
