/**
 * "Nothing changed" checks for hostile-input tests: a snapshot of every key under a pattern
 * (name, type and full content), taken by one Lua script so it runs on the node that owns the
 * pattern's hash tag — on a Redis Cluster too. Compare two snapshots with `toEqual`.
 */
import type { RedisClient } from "../../lib/redis/connection.ts";

const SNAPSHOT = `
local out = {}
for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
  local t = redis.call('TYPE', key)['ok']
  local v
  if t == 'string' then v = redis.call('GET', key)
  elseif t == 'list' then v = redis.call('LRANGE', key, 0, -1)
  elseif t == 'hash' then v = redis.call('HGETALL', key)
  elseif t == 'set' then v = redis.call('SMEMBERS', key); table.sort(v)
  elseif t == 'zset' then v = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  elseif t == 'stream' then v = redis.call('XLEN', key)
  else v = t end
  table.insert(out, {key, t, v})
end
return cjson.encode(out)
`;

/**
 * Every key matching `pattern` (a KEYS glob) with its content, sorted by key. `routeKey` is any
 * key with the pattern's hash tag (it routes the script on a cluster); default: the pattern.
 * Hash fields and list items keep their order as Redis returns them.
 */
export async function keySnapshot(
  client: RedisClient,
  pattern: string,
  routeKey = pattern,
): Promise<Record<string, unknown>> {
  const json = (await client.eval(SNAPSHOT, 1, routeKey, pattern)) as string;
  const rows = JSON.parse(json) as [string, string, unknown][] | Record<string, never>;
  const out: Record<string, unknown> = {};
  for (const [key, type, value] of Array.isArray(rows) ? rows : []) {
    out[key] = type === "hash" && Array.isArray(value) ? pairs(value as string[]) : { type, value };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function pairs(flat: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) o[flat[i]] = flat[i + 1];
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Escapes KEYS glob characters so a name matches only itself. */
export const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
