/**
 * What the console shows of a queue: its sizes, the last WINDOW_MINUTES of per-minute counters,
 * throughput and failure rate over that window, and the oldest dead letter's age — all read with
 * lib/queue/stats. Plus the worker heartbeats the top bar shows.
 */
import type { QueueSummary, WorkerBeat } from "@/components/api-types.ts";
import { listQueues, oldestDeadAge, queueSeries, queueSizes } from "@/lib/queue/stats.ts";
import type { RedisClient } from "@/lib/redis/connection.ts";
import { globalKeys } from "@/lib/redis/keys.ts";

export const WINDOW_MINUTES = 30;

export async function queueExists(client: RedisClient, queue: string): Promise<boolean> {
  return (await listQueues(client)).includes(queue);
}

export async function summarize(client: RedisClient, queue: string, now = Date.now()): Promise<QueueSummary> {
  const [sizes, rows, oldest] = await Promise.all([
    queueSizes(client, queue),
    queueSeries(client, queue, now - (WINDOW_MINUTES - 1) * 60_000, now),
    oldestDeadAge(client, queue, now),
  ]);
  const series = rows.map((r) => ({
    t: r.at,
    added: r.added,
    completed: r.completed,
    failed: r.failed,
    dead: r.dead,
  }));
  const completed = series.reduce((n, p) => n + p.completed, 0);
  const failed = series.reduce((n, p) => n + p.failed, 0);
  return {
    name: queue,
    sizes: { ready: sizes.ready, active: sizes.active, retry: sizes.retry, dead: sizes.dead },
    throughput: completed / WINDOW_MINUTES,
    failureRate: completed + failed ? failed / (completed + failed) : null,
    oldestDeadAgeMs: oldest,
    series,
  };
}

export async function summarizeAll(client: RedisClient): Promise<QueueSummary[]> {
  const now = Date.now();
  return Promise.all((await listQueues(client)).map((q) => summarize(client, q, now)));
}

/**
 * The workers' last beats. PROVISIONAL until lib/queue exports readHeartbeats: reads the
 * heartbeats key as documented in lib/redis/keys.ts (a zset id → ms, or a hash id → JSON).
 */
export async function readWorkerBeats(client: RedisClient): Promise<WorkerBeat[]> {
  const key = globalKeys().heartbeats;
  const type = await client.type(key);
  if (type === "zset") {
    const flat = await client.zrange(key, "0", "-1", "WITHSCORES");
    const out: WorkerBeat[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i], lastBeatAt: Number(flat[i + 1]) });
    return out;
  }
  if (type === "hash") {
    const h = await client.hgetall(key);
    return Object.entries(h).map(([id, json]) => {
      let v: Record<string, unknown> = {};
      try {
        v = JSON.parse(json);
      } catch {
        // a beat we cannot read still names a worker
      }
      const at = Number(v.lastBeatAt ?? v.at ?? v.ts ?? v.time ?? 0);
      return { ...v, id, lastBeatAt: Number.isFinite(at) ? at : 0 };
    });
  }
  return [];
}
