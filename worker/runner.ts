/**
 * Runs the registered tasks of a worker replica: each on its own timer, never overlapping
 * itself, single-runner across replicas unless it says otherwise (SET NX PX guard), with its
 * status kept for the heartbeat. `stop()` stops scheduling, aborts the tasks' signal, waits for
 * running tasks up to a bound and removes the heartbeat.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Config } from "../lib/config.ts";
import type { RedisClient } from "../lib/redis/connection.ts";
import { globalKeys } from "../lib/redis/keys.ts";
import { removeHeartbeat, type TaskStatus, writeHeartbeat } from "./heartbeat.ts";
import { registeredTasks, type Task, type TaskContext } from "./tasks.ts";

export interface WorkerOptions {
  client: RedisClient;
  config: Config;
  /** Default: every registered task. */
  tasks?: Task[];
  workerId?: string;
  log?: (line: string) => void;
}

export interface WorkerHandle {
  id: string;
  status: Record<string, TaskStatus>;
  /** Resolves true when every running task finished within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<boolean>;
}

export function startWorker(opts: WorkerOptions): WorkerHandle {
  const { client, config } = opts;
  const id = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const log = opts.log ?? ((line: string) => console.log(line));
  const abort = new AbortController();
  const ctx: TaskContext = { client, config, workerId: id, signal: abort.signal };
  const status: Record<string, TaskStatus> = {};
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const startedAt = Date.now();
  const prefix = config.REDIS_KEY_PREFIX;

  const heartbeat: Task = {
    name: "heartbeat",
    intervalMs: config.WORKER_INTERVAL_MS,
    options: { everyReplica: true },
    fn: () =>
      writeHeartbeat(client, prefix, { id, startedAt, intervalMs: config.WORKER_INTERVAL_MS, tasks: status }),
  };

  async function runOnce(task: Task, intervalMs: number): Promise<void> {
    const st = status[task.name];
    if (!task.options.everyReplica) {
      const lock = globalKeys(prefix).sweepLock(task.name);
      if ((await client.set(lock, id, "PX", intervalMs, "NX")) !== "OK") {
        st.skipped++;
        return;
      }
    }
    const t0 = Date.now();
    try {
      st.lastResult = await task.fn(ctx);
      st.lastError = undefined;
    } catch (err) {
      st.lastError = (err as Error).message;
      log(`[worker] task ${task.name} failed: ${st.lastError}`);
    }
    st.runs++;
    st.lastRunAt = t0;
    st.lastMs = Date.now() - t0;
  }

  function schedule(task: Task, delayMs: number): void {
    const intervalMs = typeof task.intervalMs === "function" ? task.intervalMs(config) : task.intervalMs;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (abort.signal.aborted) return;
      const p = runOnce(task, intervalMs)
        .catch((err) => log(`[worker] task ${task.name}: ${(err as Error).message}`))
        .finally(() => {
          running.delete(p);
          if (!abort.signal.aborted) schedule(task, intervalMs);
        });
      running.add(p);
    }, delayMs);
    timers.add(timer);
  }

  for (const task of [heartbeat, ...(opts.tasks ?? registeredTasks())]) {
    status[task.name] = { runs: 0, skipped: 0 };
    schedule(task, 0);
  }

  return {
    id,
    status,
    async stop(timeoutMs = 5000) {
      abort.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<false>((r) => {
        timer = setTimeout(() => r(false), timeoutMs);
      });
      const drained = await Promise.race([Promise.all(running).then(() => true as const), bound]);
      clearTimeout(timer);
      await removeHeartbeat(client, prefix, id).catch(() => {});
      return drained;
    },
  };
}
