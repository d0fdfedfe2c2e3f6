/**
 * The cache's Lua scripts. Each runs on one namespace's keys (one hash tag, one Cluster slot)
 * and is one round trip: a hit is a single EVALSHA that reads the entry and checks its flush
 * generation and tag versions on the server.
 */
import type { RedisClient } from "../redis/connection.ts";

/**
 * KEYS: 1 entry, 2 namespace meta, 3 lock of the entry, 4.. tag version keys of the caller's tags
 * ARGV: 1 tag key prefix, 2 lock lifetime in ms (0 = no lock), 3 lock token
 * Returns {1, entry} on a valid entry; otherwise {0, generation, version of each tag, locked 0|1}
 */
const READ = `
local v = redis.call('GET', KEYS[1])
local gen = redis.call('HGET', KEYS[2], 'gen') or '0'
if v then
  local nl = string.find(v, '\\n', 1, true)
  local ok = false
  if nl then
    local g, tags = string.match(string.sub(v, 1, nl - 1), '^[^|]*|([^|]*)|(.*)$')
    ok = g == gen
    if ok and tags ~= '' then
      for t, ver in string.gmatch(tags, '([^,=]+)=([^,]*)') do
        if (redis.call('GET', ARGV[1] .. t) or '0') ~= ver then ok = false break end
      end
    end
  end
  if ok then return {1, v} end
end
local res = {0, gen}
for i = 4, #KEYS do res[#res + 1] = redis.call('GET', KEYS[i]) or '0' end
local locked = 0
if tonumber(ARGV[2]) > 0 and redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[2], 'NX') then locked = 1 end
res[#res + 1] = locked
return res`;

/**
 * KEYS: 1 entry, 2 namespace meta, 3 lock of the entry, 4.. tag version keys
 * ARGV: 1 expected generation ('' = current), 2 lifetime ms, 3 header head, 4 payload,
 *       5 lock token ('' = none), then n tag names, then n expected versions ('' = current)
 * Returns 1 written, 0 skipped (the namespace was flushed or a tag invalidated since the read)
 */
const WRITE = `
if ARGV[5] ~= '' and redis.call('GET', KEYS[3]) == ARGV[5] then redis.call('DEL', KEYS[3]) end
local gen = redis.call('HGET', KEYS[2], 'gen') or '0'
if ARGV[1] ~= '' and ARGV[1] ~= gen then return 0 end
local n = #KEYS - 3
local ttl = tonumber(ARGV[2])
local parts = {}
for i = 1, n do
  local cur = redis.call('GET', KEYS[3 + i]) or '0'
  local want = ARGV[5 + n + i]
  if want ~= '' and want ~= cur then return 0 end
  parts[i] = ARGV[5 + i] .. '=' .. cur
  local pttl = redis.call('PTTL', KEYS[3 + i])
  if pttl >= 0 and pttl < ttl then redis.call('PEXPIRE', KEYS[3 + i], ttl) end
end
redis.call('SET', KEYS[1], ARGV[3] .. '|' .. gen .. '|' .. table.concat(parts, ',') .. '\\n' .. ARGV[4], 'PX', ttl)
if ttl > tonumber(redis.call('HGET', KEYS[2], 'maxttl') or '0') then redis.call('HSET', KEYS[2], 'maxttl', ttl) end
return 1`;

/**
 * KEYS: 1 namespace meta, 2 tag version key
 * The version outlives every entry that recorded it (the namespace's longest lifetime), so an
 * expired version can never make an invalidated entry valid again.
 */
const INVALIDATE_TAG = `
local v = redis.call('INCR', KEYS[2])
local keep = math.max(tonumber(redis.call('HGET', KEYS[1], 'maxttl') or '0'), redis.call('PTTL', KEYS[2]), 60000)
redis.call('PEXPIRE', KEYS[2], keep)
return v`;

/** KEYS: 1 lock; ARGV: 1 token. Deletes the lock only if this caller still holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Reply = Promise<unknown>;

/** The commands defined on a client by `defineCacheScripts`. */
export interface CacheScripts {
  rqCacheReadBuffer(numKeys: number, ...args: (string | number)[]): Reply;
  rqCacheWrite(numKeys: number, ...args: (string | number | Buffer)[]): Reply;
  rqCacheInvalidateTag(meta: string, tag: string): Reply;
  rqCacheRelease(lock: string, token: string): Reply;
}

const defined = new WeakSet<object>();

/** Defines the scripts on a client once (EVALSHA, falling back to EVAL after a script flush). */
export function cacheScripts(client: RedisClient): CacheScripts {
  if (!defined.has(client)) {
    client.defineCommand("rqCacheRead", { lua: READ });
    client.defineCommand("rqCacheWrite", { lua: WRITE });
    client.defineCommand("rqCacheInvalidateTag", { lua: INVALIDATE_TAG, numberOfKeys: 2 });
    client.defineCommand("rqCacheRelease", { lua: RELEASE, numberOfKeys: 1 });
    defined.add(client);
  }
  return client as unknown as CacheScripts;
}
