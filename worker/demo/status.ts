/**
 * The demo's own status line, every 30 s: jobs added and finished, dead letters now, and the
 * cache hit rate of the last minute as lib/cache recorded it (what the console charts).
 */
import { namespaceSummary } from "../../lib/cache/stats.ts";
import { listGroups } from "../../lib/dlq/read.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { JobCounts } from "./jobs.ts";
import type { TrafficCounts } from "./traffic.ts";

async function statusLine(redis: RedisClient, jobs: JobCounts, traffic: TrafficCounts): Promise<string> {
  const [cache, groups] = await Promise.all([
    namespaceSummary(redis, { windowMs: 60_000 }),
    listGroups(redis).catch(() => []),
  ]);
  const hits = cache.reduce((n, c) => n + c.hits + c.staleHits, 0);
  const lookups = hits + cache.reduce((n, c) => n + c.misses, 0);
  const rate = lookups ? `${((hits / lookups) * 100).toFixed(1)}%` : "–";
  const dead = groups.reduce((n, g) => n + g.count, 0);
  const avgMs = traffic.requests ? Math.round(traffic.totalMs / traffic.requests) : 0;
  return (
    `status: ${jobs.added} jobs added, ${jobs.completed} completed, ${jobs.failedAttempts} failed attempts; ` +
    `${dead} dead letters in ${groups.length} error groups; ` +
    `cache hit rate ${rate} over the last minute (${traffic.requests} lookups, ${avgMs} ms average)`
  );
}

export function startStatus(
  redis: RedisClient,
  jobs: JobCounts,
  traffic: TrafficCounts,
  log: (l: string) => void,
) {
  const timer = setInterval(() => {
    statusLine(redis, jobs, traffic).then(log, () => undefined);
  }, 30_000);
  return { stop: () => clearInterval(timer) };
}
