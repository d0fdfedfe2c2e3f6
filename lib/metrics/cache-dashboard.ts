/**
 * The cache dashboard's data (GET /api/v1/cache/stats and /cache/namespaces), built from
 * lib/cache/stats (per-minute counters and latency histograms), the worker's Redis samples and
 * INFO. Per-minute rows are folded into steps (1 min for 1 h, 15 min for 24 h, 2 h for 7 d) so a
 * chart has at most ~100 points. Percentiles do not add up across minutes: a step's p99 is its
 * worst minute's p99, and its p50 the lookup-weighted mean of the minutes' p50.
 */

import { getThresholds } from "../alerts/settings.ts";
import { type RedisSeriesRow, redisSeries } from "../cache/redis-sampler.ts";
import {
  type CacheSeriesRow,
  cacheSeries,
  listNamespaces,
  namespaceSummary,
  nearStates,
} from "../cache/stats.ts";
import { type Config, getConfig } from "../config.ts";
import { RequeueError } from "../errors.ts";
import type { RedisClient } from "../redis/connection.ts";
import { readRedisInfo } from "../redis/info.ts";
import {
  CACHE_RANGES,
  type CachePoint,
  type CacheRange,
  type CacheStatsResponse,
  type NamespacesResponse,
  type RedisPoint,
} from "./cache-dashboard-types.ts";

export class UnknownNamespaceError extends RequeueError<"NOT_FOUND"> {
  constructor(message: string) {
    super("NOT_FOUND", message);
    this.name = "UnknownNamespaceError";
  }
}

function foldCache(rows: CacheSeriesRow[], from: number, stepMs: number, steps: number): CachePoint[] {
  const points: CachePoint[] = Array.from({ length: steps }, (_, i) => ({
    t: from + i * stepMs,
    hits: 0,
    l1Hits: 0,
    misses: 0,
    staleHits: 0,
    errors: 0,
    hitRate: null,
    p50Ms: null,
    p99Ms: null,
  }));
  const weight = new Array<number>(steps).fill(0);
  for (const r of rows) {
    const i = Math.floor((r.minute - from) / stepMs);
    const p = points[i];
    if (!p) continue;
    p.hits += r.hits;
    p.l1Hits += r.l1Hits;
    p.misses += r.misses;
    p.staleHits += r.staleHits;
    p.errors += r.errors;
    const calls = r.hits + r.misses + r.staleHits;
    if (calls > 0) {
      p.p99Ms = Math.max(p.p99Ms ?? 0, r.p99);
      p.p50Ms = ((p.p50Ms ?? 0) * weight[i] + r.p50 * calls) / (weight[i] + calls);
      weight[i] += calls;
    }
  }
  for (const p of points) {
    const served = p.hits + p.l1Hits + p.staleHits;
    p.hitRate = served + p.misses > 0 ? served / (served + p.misses) : null;
  }
  return points;
}

function foldRedis(rows: RedisSeriesRow[], from: number, stepMs: number): RedisPoint[] {
  const byStep = new Map<number, RedisPoint & { n: number }>();
  for (const r of rows) {
    const i = Math.floor((r.minute - from) / stepMs);
    if (i < 0) continue;
    const t = from + i * stepMs;
    const p = byStep.get(t) ?? { t, usedMemory: null, maxMemory: null, evicted: 0, opsPerSec: 0, n: 0 };
    // rows come oldest first: the last one of a step is its memory figure
    p.usedMemory = r.usedMemory;
    p.maxMemory = r.maxmemory;
    p.evicted = (p.evicted ?? 0) + r.evictedDelta;
    p.opsPerSec = ((p.opsPerSec ?? 0) * p.n + r.opsPerSec) / (p.n + 1);
    p.n++;
    byStep.set(t, p);
  }
  return [...byStep.values()].map(({ n: _n, ...p }) => p);
}

export async function cacheDashboard(
  client: RedisClient,
  opts: { range: CacheRange; namespace?: string; now?: number; config?: Config },
): Promise<CacheStatsResponse> {
  const config = opts.config ?? getConfig();
  const prefix = config.REDIS_KEY_PREFIX;
  const { ms, stepMinutes } = CACHE_RANGES[opts.range];
  const stepMs = stepMinutes * 60_000;
  const now = opts.now ?? Date.now();
  const to = Math.floor(now / stepMs) * stepMs + stepMs; // end of the current step
  const steps = Math.round(ms / stepMs);
  const from = to - steps * stepMs;

  const all = await listNamespaces(client, prefix);
  if (opts.namespace && !all.includes(opts.namespace)) {
    throw new UnknownNamespaceError(
      `No cache namespace "${opts.namespace}"; known: ${all.join(", ") || "none yet (no cache traffic)"}`,
    );
  }
  const names = opts.namespace ? [opts.namespace] : all;
  const [perNs, total, redis, redisNow, thresholds] = await Promise.all([
    Promise.all(names.map((ns) => cacheSeries(client, ns, from, to - 1, prefix))),
    cacheSeries(client, opts.namespace ?? "all", from, to - 1, prefix),
    redisSeries(client, from - 60_000, to - 1, prefix),
    readRedisInfo(client),
    getThresholds(client, config),
  ]);
  return {
    range: opts.range,
    from,
    to,
    stepMs,
    hitRateThreshold: thresholds.values.cache_hit_rate,
    namespaces: names.map((name, i) => ({ name, points: foldCache(perNs[i], from, stepMs, steps) })),
    total: foldCache(total, from, stepMs, steps),
    redis: foldRedis(redis, from, stepMs),
    redisNow,
  };
}

/** One row per namespace over the last hour, with the worker's latest size estimate. */
export async function namespaceRows(
  client: RedisClient,
  config: Config = getConfig(),
): Promise<NamespacesResponse> {
  const prefix = config.REDIS_KEY_PREFIX;
  const [summary, near] = await Promise.all([
    namespaceSummary(client, { windowMs: 3_600_000, prefix }),
    nearStates(client, { prefix }),
  ]);
  return {
    near: near
      .map(({ instance, bytes, maxBytes, entries, usable }) => ({
        instance,
        bytes,
        maxBytes,
        entries,
        usable,
      }))
      .sort((a, b) => b.bytes - a.bytes || a.instance.localeCompare(b.instance)),
    namespaces: summary.map((n) => ({
      name: n.namespace,
      hits: n.hits + n.l1Hits + n.staleHits,
      l1Share: n.hits + n.l1Hits + n.staleHits > 0 ? n.l1Hits / (n.hits + n.l1Hits + n.staleHits) : null,
      misses: n.misses,
      hitRate: n.hitRate,
      p99Ms: n.hits + n.staleHits + n.misses > 0 ? n.p99 : null,
      savedMs: n.savedLoaderMs,
      keys: n.keys,
      memoryBytes: n.memoryBytes,
    })),
  };
}
