/**
 * One read of everything /api/metrics reports: per queue (sizes, oldest dead letter, dropped,
 * events of the last 5 minutes), per cache namespace (calls by result, p99 latency, keys, memory),
 * circuit breakers (how many cache instances are in each state), Redis itself (INFO, now), and
 * the alerts. The reads come from lib/queue/stats, lib/cache/stats, INFO (lib/redis/info) and
 * lib/alerts; rendering is in prometheus.ts.
 */
import { listAlerts } from "../alerts/evaluate.ts";
import type { AlertStatus } from "../alerts/types.ts";
import { breakerStates, type NearReport, namespaceSummary, nearStates } from "../cache/stats.ts";
import { type Config, getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { type RedisSnapshot, readRedisInfo } from "../redis/info.ts";
import { type QueueSnapshot, readQueueSnapshots } from "./queue-source.ts";

export interface CacheNamespaceSnapshot {
  namespace: string;
  /** hit, l1_hit (near cache), stale_hit, miss, error, bypass — over the last 5 minutes */
  counts5m: Record<string, number>;
  /** p99 call latency over the last 5 minutes (ms), null without calls */
  p99Ms: number | null;
  keys: number | null;
  memoryBytes: number | null;
}

export interface MetricsSnapshot {
  queues: QueueSnapshot[];
  cache: CacheNamespaceSnapshot[];
  breakers: Record<string, number>;
  /** the near cache (L1) of each live process that has one */
  near: Pick<NearReport, "instance" | "bytes" | "entries" | "usable" | "namespaces">[];
  redis: RedisSnapshot;
  alerts: Pick<AlertStatus, "id" | "state" | "value" | "threshold">[];
}

const WINDOW_MS = 5 * 60_000;

export async function collectSnapshot(
  client: RedisClient,
  config: Config = getConfig(),
  now = Date.now(),
): Promise<MetricsSnapshot> {
  const prefix = config.REDIS_KEY_PREFIX;
  const [queues, cache, breakers, near, redis, alerts] = await Promise.all([
    readQueueSnapshots(client, prefix, now, WINDOW_MS),
    namespaceSummary(client, { windowMs: WINDOW_MS, prefix }),
    breakerStates(client, { prefix }),
    nearStates(client, { prefix }),
    readRedisInfo(client),
    listAlerts(client, config),
  ]);
  const breakerCounts: Record<string, number> = {};
  for (const b of breakers) breakerCounts[b.state] = (breakerCounts[b.state] ?? 0) + 1;
  return {
    queues,
    cache: cache.map((n) => ({
      namespace: n.namespace,
      counts5m: {
        hit: n.hits,
        l1_hit: n.l1Hits,
        stale_hit: n.staleHits,
        miss: n.misses,
        error: n.errors,
        bypass: n.bypasses,
      },
      p99Ms: n.hits + n.staleHits + n.misses > 0 ? n.p99 : null,
      keys: n.keys,
      memoryBytes: n.memoryBytes,
    })),
    breakers: breakerCounts,
    near: near.map(({ instance, bytes, entries, usable, namespaces }) => ({
      instance,
      bytes,
      entries,
      usable,
      namespaces,
    })),
    redis,
    alerts: alerts.map(({ id, state, value, threshold }) => ({ id, state, value, threshold })),
  };
}
