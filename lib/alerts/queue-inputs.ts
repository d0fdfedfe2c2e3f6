/**
 * The queue side of the alert values, from lib/queue/stats: the largest DLQ, the oldest dead
 * letter and the longest-waiting job next in line now, and the per-minute counters of every queue summed over the window.
 */
import { listQueues, oldestDeadAge, oldestWaitingAge, queueSeries, queueSizes } from "../queue/stats.ts";
import type { RedisClient } from "../redis/connection.ts";
import type { QueueTotals } from "./measure.ts";

export async function readQueueTotals(
  client: RedisClient,
  now: number,
  windowMs: number,
  prefix: string,
): Promise<QueueTotals> {
  const queues = await listQueues(client, { prefix });
  const totals: QueueTotals = {
    largestDlq: 0,
    oldestDeadAgeMs: null,
    oldestWaitingMs: null,
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
