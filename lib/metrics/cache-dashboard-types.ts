/**
 * The shapes of the cache dashboard's data — GET /api/v1/cache/stats and /cache/namespaces —
 * shared by the route handlers (which build them, cache-dashboard.ts) and the console's charts.
 */

export const CACHE_RANGES = {
  "1h": { ms: 3_600_000, stepMinutes: 1 },
  "24h": { ms: 86_400_000, stepMinutes: 15 },
  "7d": { ms: 7 * 86_400_000, stepMinutes: 120 },
} as const;

export type CacheRange = keyof typeof CACHE_RANGES;

/** One step of a cache series (one namespace, or all of them together). */
export interface CachePoint {
  /** start of the step, ms */
  t: number;
  /** hits answered by Redis */
  hits: number;
  /** hits answered from a process's memory (the near cache) */
  l1Hits: number;
  misses: number;
  staleHits: number;
  errors: number;
  /** (hits + l1Hits + staleHits) / (those + misses); null without lookups in the step */
  hitRate: number | null;
  /** call latency percentiles in ms; null without calls */
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface RedisPoint {
  t: number;
  usedMemory: number | null;
  maxMemory: number | null;
  /** keys evicted during the step */
  evicted: number | null;
  opsPerSec: number | null;
}

export interface CacheStatsResponse {
  range: CacheRange;
  from: number;
  to: number;
  stepMs: number;
  /** the hit rate alert's threshold (0..1), drawn on the chart */
  hitRateThreshold: number;
  namespaces: { name: string; points: CachePoint[] }[];
  /** every namespace (or the one asked for) together */
  total: CachePoint[];
  redis: RedisPoint[];
  /** the latest Redis figures, read now */
  redisNow: {
    usedMemory: number | null;
    maxMemory: number | null;
    evictedKeys: number | null;
    opsPerSec: number | null;
  };
}

export interface NamespaceRow {
  name: string;
  /** over the last hour: every hit (Redis, near cache, stale) */
  hits: number;
  /** share of the hits served from a process's memory (the near cache); null without hits */
  l1Share: number | null;
  misses: number;
  hitRate: number | null;
  p99Ms: number | null;
  /** the source's time the hits saved: hits × the hour's average loader time; null without loads */
  savedMs: number | null;
  /** approximate, from the worker's bounded sample; null when not sampled yet */
  keys: number | null;
  memoryBytes: number | null;
}

/** One live process's near cache (L1), as it last reported (about once a second while in use). */
export interface NearProcessRow {
  instance: string;
  bytes: number;
  maxBytes: number;
  entries: number;
  /** tracking confirmed: serving from memory; false: bypassed until tracking is back */
  usable: boolean;
}

export interface NamespacesResponse {
  namespaces: NamespaceRow[];
  /** processes with the near cache on (empty when CACHE_NEAR_ENABLED is off everywhere) */
  near: NearProcessRow[];
}
