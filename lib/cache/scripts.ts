/**
 * The cache's Lua scripts, for writes and invalidation. Each runs on one namespace's keys (one
 * hash tag, one Cluster slot). Reads need no script: one MGET (entry-io.ts).
 */
import type { RedisClient } from "../redis/connection.ts";

/**
 * KEYS: 1 entry, 2 generation, 3 namespace meta, 4 lock of the entry, 5.. tag version keys
 * ARGV: 1 expected generation ('' = current), 2 lifetime ms, 3 header head, 4 payload,
 *       5 lock token ('' = none), then n tag names, then n expected versions ('' = current)
 * Returns 1 written, 0 skipped (the namespace was flushed or a tag invalidated since the read).
 * Writes the header's generation and tag versions, keeps each tag version alive at least as
 * long as the entry, records the namespace's longest lifetime, releases the caller's lock.
 */
const WRITE = `
if ARGV[5] ~= '' and redis.call('GET', KEYS[4]) == ARGV[5] then redis.call('DEL', KEYS[4]) end
local gen = redis.call('GET', KEYS[2]) or '0'
if ARGV[1] ~= '' and ARGV[1] ~= gen then return 0 end
local n = #KEYS - 4
local ttl = tonumber(ARGV[2])
local parts = {}
for i = 1, n do
  local cur = redis.call('GET', KEYS[4 + i]) or '0'
  local want = ARGV[5 + n + i]
  if want ~= '' and want ~= cur then return 0 end
  parts[i] = ARGV[5 + i] .. '=' .. cur
  local pttl = redis.call('PTTL', KEYS[4 + i])
  if pttl >= 0 and pttl < ttl then redis.call('PEXPIRE', KEYS[4 + i], ttl) end
end
redis.call('SET', KEYS[1], ARGV[3] .. '|' .. gen .. '|' .. table.concat(parts, ',') .. '\\n' .. ARGV[4], 'PX', ttl)
if ttl > tonumber(redis.call('HGET', KEYS[3], 'maxttl') or '0') then redis.call('HSET', KEYS[3], 'maxttl', ttl) end
return 1`;

/**
 * KEYS: 1 namespace meta, 2 tag version key
 * The version outlives every entry that recorded it (the namespace's longest lifetime), so an
 * expired version can never make an invalidated entry valid again. Returns the new version.
 */
const INVALIDATE_TAG = `
local v = redis.call('INCR', KEYS[2])
local keep = math.max(tonumber(redis.call('HGET', KEYS[1], 'maxttl') or '0'), redis.call('PTTL', KEYS[2]), 60000)
redis.call('PEXPIRE', KEYS[2], keep)
return v`;

type Reply = Promise<unknown>;

/** The commands defined on a client by `cacheScripts`. */
export interface CacheScripts {
  rqCacheWrite(numKeys: number, ...args: (string | number | Buffer)[]): Reply;
  rqCacheInvalidateTag(meta: string, tag: string): Reply;
}

const defined = new WeakSet<object>();

/** Defines the scripts on a client once (EVALSHA, falling back to EVAL after a script flush). */
export function cacheScripts(client: RedisClient): CacheScripts {
  if (!defined.has(client)) {
    client.defineCommand("rqCacheWrite", { lua: WRITE });
    client.defineCommand("rqCacheInvalidateTag", { lua: INVALIDATE_TAG, numberOfKeys: 2 });
    defined.add(client);
  }
  return client as unknown as CacheScripts;
}
