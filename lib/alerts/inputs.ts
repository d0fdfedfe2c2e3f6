/**
 * Where the alert values come from, over the last ALERT_WINDOW_MINUTES for rates:
 *   queue alerts ← lib/queue/stats (DLQ sizes, per-minute counters, oldest dead letter)
 *   cache alerts ← lib/cache/stats (hits, misses and latency per namespace)
 *   Redis alerts ← the worker's Redis samples (lib/cache/redis-sampler), or INFO when there is
 *                  no recent sample (memory only; evictions need two samples to count).
 */
import { latestRedisSample, redisSeries } from "../cache/redis-sampler.ts";
import { namespaceSummary } from "../cache/stats.ts";
import type { Config } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { readRedisInfo } from "../redis/info.ts";
import { type CacheTotals, measure, type RedisTotals } from "./measure.ts";
import { readQueueTotals } from "./queue-inputs.ts";
import type { AlertValues } from "./types.ts";

/** A sample older than this is not "now" for the memory alert: INFO is read instead. */
const SAMPLE_FRESH_MS = 3 * 60_000;

async function readCacheTotals(client: RedisClient, windowMs: number, prefix: string): Promise<CacheTotals> {
  const summary = await namespaceSummary(client, { windowMs, prefix });
  let hits = 0;
  let misses = 0;
  let latencyP99Ms: number | null = null;
  for (const ns of summary) {
    // hits served from a process's near cache (L1) are hits too
    const lookups = ns.hits + ns.l1Hits + ns.staleHits + ns.misses;
    hits += ns.hits + ns.l1Hits + ns.staleHits;
    misses += ns.misses;
    // The slowest namespace's p99 over the window (percentiles of different namespaces do not add up).
    if (lookups > 0) latencyP99Ms = Math.max(latencyP99Ms ?? 0, ns.p99);
  }
  // Every miss is followed by a write of the loaded value: misses are the cache's writes.
  return { hits, misses, writes: misses, latencyP99Ms };
}

async function readRedisTotals(
  client: RedisClient,
  now: number,
  windowMs: number,
  prefix: string,
): Promise<RedisTotals> {
  // One minute more than the window, so the first sample inside it has a delta.
  const [series, latest] = await Promise.all([
    redisSeries(client, now - windowMs - 60_000, now, prefix),
    latestRedisSample(client, prefix),
  ]);
  const from = now - windowMs;
  const inWindow = series.filter((s) => s.minute + 60_000 > from);
  const evicted = series.length >= 2 ? inWindow.reduce((n, s) => n + s.evictedDelta, 0) : null;
  if (latest && now - latest.at <= SAMPLE_FRESH_MS) {
    return { usedMemory: latest.usedMemory, maxMemory: latest.maxmemory, evicted };
  }
  const info = await readRedisInfo(client);
  return { usedMemory: info.usedMemory, maxMemory: info.maxMemory, evicted };
}

export async function readAlertInputs(
  client: RedisClient,
  now: number,
  config: Config,
): Promise<AlertValues> {
  const windowMs = config.ALERT_WINDOW_MINUTES * 60_000;
  const prefix = config.REDIS_KEY_PREFIX;
  const [queue, cache, redis] = await Promise.all([
    readQueueTotals(client, now, windowMs, prefix, config.DLQ_MAX_ENTRIES),
    readCacheTotals(client, windowMs, prefix),
    readRedisTotals(client, now, windowMs, prefix),
  ]);
  return measure(queue, cache, redis);
}
