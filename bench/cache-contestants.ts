/**
 * Contestants of bench/cache.ts that take ioredis options: the cachified adapter, and the
 * variants with ioredis `enableAutoPipelining` on. Requeue corks its writes while calls are in
 * flight (as node-redis does for cache-manager); raw ioredis and the cachified adapter send one
 * write per command unless auto-pipelining is on, so both are measured both ways.
 */
import { type CacheEntry, type Cache as CachifiedCache, cachified, totalTtl } from "@epic-web/cachified";
import { Redis } from "ioredis";

/** cachified's Cache interface over ioredis: one GET per hit, entries as JSON with a TTL. */
export function cachifiedRedisAdapter(redis: Redis): CachifiedCache {
  return {
    async get(key) {
      const json = await redis.get(key);
      return json ? (JSON.parse(json) as CacheEntry) : null;
    },
    async set(key, entry) {
      const ttl = totalTtl(entry.metadata);
      const json = JSON.stringify(entry);
      if (ttl === Number.POSITIVE_INFINITY) await redis.set(key, json);
      else await redis.set(key, json, "PX", Math.max(1, Math.ceil(ttl)));
    },
    async delete(key) {
      await redis.del(key);
    },
  };
}

type Hit = (i: number) => Promise<unknown>;

/**
 * A raw GET and cachified over ioredis clients with `enableAutoPipelining: true`, on the keys the
 * plain ones use (`raw:<i>`, `cf:<i>`, already written): "raw_autopipelined" and
 * "cachified_autopipelined".
 */
export function autopipelinedContestants(url: string, keys: number, notCalled: () => never) {
  const raw = new Redis(url, { enableAutoPipelining: true });
  const cf = new Redis(url, { enableAutoPipelining: true });
  const cfCache = cachifiedRedisAdapter(cf);
  const contestants: Record<string, Hit> = {
    raw_autopipelined: (i) => raw.get(`raw:${i % keys}`),
    cachified_autopipelined: (i) =>
      cachified({ key: `cf:${i % keys}`, cache: cfCache, ttl: 3_600_000, getFreshValue: notCalled }),
  };
  const close = () => {
    raw.disconnect();
    cf.disconnect();
  };
  return { contestants, close };
}
