/** The queue side of the metrics snapshot, from lib/queue/stats: sizes, DLQ figures, recent events, paused. */
import { isPaused } from "../queue/pause.ts";
import {
  dlqTotals,
  listQueues,
  oldestDeadAge,
  queueSeries,
  queueSizes,
  STAT_FIELDS,
} from "../queue/stats.ts";
import type { RedisClient } from "../redis/connection.ts";

export interface QueueSnapshot {
  name: string;
  sizes: Record<"ready" | "active" | "retry" | "dead", number>;
  paused: boolean;
  oldestDeadAgeMs: number | null;
  /** lifetime count of dead letters dropped by retention or the cap (null: unknown) */
  dropped: number | null;
  events5m: Record<string, number>;
}

/** Prometheus label values for the stats fields. */
const EVENT_LABEL: Record<(typeof STAT_FIELDS)[number], string> = {
  added: "added",
  completed: "completed",
  failed: "failed",
  retried: "retried",
  retrySucceeded: "retry_succeeded",
  retryDead: "retry_dead",
  dead: "dead_lettered",
  requeued: "requeued",
  deleted: "deleted",
  droppedCap: "dropped_by_cap",
};

export async function readQueueSnapshots(
  client: RedisClient,
  prefix: string,
  now: number,
  windowMs: number,
): Promise<QueueSnapshot[]> {
  const queues = await listQueues(client, { prefix });
  return Promise.all(
    queues.map(async (name) => {
      const [sizes, oldest, totals, series, paused] = await Promise.all([
        queueSizes(client, name, { prefix }),
        oldestDeadAge(client, name, now, { prefix }),
        dlqTotals(client, name, undefined, { prefix }),
        queueSeries(client, name, now - windowMs + 60_000, now, { prefix }),
        isPaused(client, name, { prefix }),
      ]);
      const events5m: Record<string, number> = {};
      for (const f of STAT_FIELDS) events5m[EVENT_LABEL[f]] = series.reduce((n, row) => n + row[f], 0);
      return {
        name,
        sizes: { ready: sizes.ready, active: sizes.active, retry: sizes.retry, dead: sizes.dead },
        paused,
        oldestDeadAgeMs: oldest,
        dropped: totals.dropped,
        events5m,
      };
    }),
  );
}
