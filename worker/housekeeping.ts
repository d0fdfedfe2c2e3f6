/**
 * The queue housekeeping the worker service does for every registered queue: promote due
 * retries, reclaim expired leases, trim the DLQ by retention and cap, trim completed ids (and
 * forget consumer heartbeats silent for an hour).
 * Each sweep is single-runner, so several worker replicas share the work safely (and the Lua
 * scripts are atomic, so a sweep run twice is harmless anyway). The reclaim takes each queue's
 * own lock, the one its consumers take too (reclaimIfDue: held at most a second, so a consumer's
 * reclaim never delays the worker's by more); the other sweeps take the task's lock (tasks.ts).
 */
import type { Config } from "../lib/config.ts";
import { queueContext } from "../lib/queue/context.ts";
import {
  pruneConsumers,
  reclaimIfDue,
  type SweepResult,
  trimCompleted,
  trimDead,
} from "../lib/queue/maintenance.ts";
import { promoteDue } from "../lib/queue/retry.ts";
import { listQueues } from "../lib/queue/stats.ts";
import type { RedisClient } from "../lib/redis/connection.ts";
import { registerTask, type TaskContext } from "./tasks.ts";

type Sweep = (ctx: ReturnType<typeof queueContext>) => Promise<SweepResult>;

/** Runs a sweep over every queue; sums the results. */
export async function sweepAll(client: RedisClient, config: Config, sweep: Sweep, signal?: AbortSignal) {
  const total: Record<string, number> = {};
  for (const name of await listQueues(client, { prefix: config.REDIS_KEY_PREFIX })) {
    if (signal?.aborted) break;
    const result = await sweep(queueContext(name, client, config));
    for (const [k, v] of Object.entries(result)) total[k] = (total[k] ?? 0) + (v ?? 0);
  }
  return total;
}

const every = (c: Config) => c.WORKER_INTERVAL_MS;
const slow = (c: Config) => c.WORKER_INTERVAL_MS * 10;
const run = (sweep: Sweep) => (t: TaskContext) => sweepAll(t.client, t.config, sweep, t.signal);

/** The worker's reclaim: each queue under the lock its consumers take too (reclaimIfDue). */
export const reclaimAll = (t: TaskContext) =>
  sweepAll(t.client, t.config, (q) => reclaimIfDue(q, t.workerId, every(t.config)), t.signal);

/** Completed ids and records past retention, and consumer heartbeats silent for an hour. */
const trimCompletedAndConsumers: Sweep = async (q) => ({
  ...(await trimCompleted(q)),
  consumersForgotten: await pruneConsumers(q),
});

export function registerHousekeeping(): void {
  registerTask("promote-retries", every, run(promoteDue));
  // single-runner per queue instead, by reclaimIfDue's lock
  registerTask("reclaim-leases", every, reclaimAll, { everyReplica: true });
  registerTask("trim-dead", slow, run(trimDead));
  registerTask("trim-completed", slow, run(trimCompletedAndConsumers));
}
