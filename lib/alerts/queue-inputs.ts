/**
 * The queue side of the alert values, from lib/queue/stats: the largest DLQ, the oldest dead
 * letter and the longest-waiting job next in line now, the per-minute counters of every queue
 * summed over the window, and how near the fullest DLQ is to DLQ_MAX_ENTRIES (the entries the cap
 * dropped in the window count as held: a DLQ kept at its cap by drops reads over 100 %, so the
 * alert fires on drops too).
 */
import { listQueues, oldestDeadAge, oldestWaitingAge, queueSeries, queueSizes } from "../queue/stats.ts";
import type { RedisClient } from "../redis/connection.ts";
import type { QueueTotals } from "./measure.ts";

export async function readQueueTotals(
  client: RedisClient,
  now: number,
  windowMs: number,
  prefix: string,
  /** DLQ_MAX_ENTRIES (0: no cap, no near-cap value) */
  cap = 0,
): Promise<QueueTotals> {
  const queues = await listQueues(client, { prefix });
  const totals: QueueTotals = {
    largestDlq: 0,
    oldestDeadAgeMs: null,
    oldestWaitingMs: null,
    nearCap: null,
    retried: 0,
    retrySucceeded: 0,
    retryDead: 0,
    completed: 0,
    deadLettered: 0,
  };
  await Promise.all(
    queues.map(async (queue) => {
      const [sizes, oldest, waiting, series] = await Promise.all([
        queueSizes(client, queue, { prefix }),
        oldestDeadAge(client, queue, now, { prefix }),
        oldestWaitingAge(client, queue, now, { prefix }),
        // the current minute and the ones before it, windowMs in all
        queueSeries(client, queue, now - windowMs + 60_000, now, { prefix }),
      ]);
      totals.largestDlq = Math.max(totals.largestDlq, sizes.dead);
      if (cap > 0) {
        const dropped = series.reduce((n, row) => n + row.droppedCap, 0);
        totals.nearCap = Math.max(totals.nearCap ?? 0, (sizes.dead + dropped) / cap);
      }
      if (oldest !== null) totals.oldestDeadAgeMs = Math.max(totals.oldestDeadAgeMs ?? 0, oldest);
      if (waiting !== null) totals.oldestWaitingMs = Math.max(totals.oldestWaitingMs ?? 0, waiting);
      for (const row of series) {
        totals.retried += row.retried;
        totals.retrySucceeded += row.retrySucceeded;
        totals.retryDead += row.retryDead;
        totals.completed += row.completed;
        totals.deadLettered += row.dead;
      }
    }),
  );
  return totals;
}
