/**
 * The worker's task registry: every periodic job of the worker service is a named task with an
 * interval. Housekeeping (worker/housekeeping.ts) registers its sweeps here; other parts of the
 * product (alert evaluation, Redis sampling) register theirs the same way and are imported by
 * worker/main.ts:
 *
 *   registerTask("alerts", 15_000, async ({ client, config }) => { ... });
 *
 * A task runs again `intervalMs` after its previous run ended (never overlapping itself). By
 * default it is single-runner across replicas: a `SET <lock> <worker> PX intervalMs NX` guard
 * lets one replica run it per interval. Pass `{ everyReplica: true }` for per-process work.
 */
import type { Config } from "../lib/config.ts";
import type { RedisClient } from "../lib/redis/connection.ts";

export interface TaskContext {
  client: RedisClient;
  config: Config;
  workerId: string;
  /** Aborted when the worker is stopping: long tasks should return early. */
  signal: AbortSignal;
}

/** A task may return a summary (shown in the heartbeat), e.g. { promoted: 3 }. */
export type TaskFn = (ctx: TaskContext) => Promise<unknown> | unknown;

export interface TaskOptions {
  /** Run on every replica instead of one per interval (default false). */
  everyReplica?: boolean;
}

export interface Task {
  name: string;
  intervalMs: number | ((config: Config) => number);
  fn: TaskFn;
  options: TaskOptions;
}

const tasks = new Map<string, Task>();

/** Adds (or replaces) a periodic task. `intervalMs` may depend on the configuration. */
export function registerTask(
  name: string,
  intervalMs: number | ((config: Config) => number),
  fn: TaskFn,
  options: TaskOptions = {},
): void {
  if (!/^[a-z0-9][a-z0-9:_-]*$/.test(name))
    throw new Error(`task name ${JSON.stringify(name)}: use a-z, 0-9, - _ :`);
  tasks.set(name, { name, intervalMs, fn, options });
}

export function registeredTasks(): Task[] {
  return [...tasks.values()];
}
