/**
 * The scenarios of bench/queue.ts, once for Requeue and once for BullMQ, with the same shape:
 * each takes a fresh queue name, pre-fills it, makes its consumer ready (connected, scripts
 * loaded: BullMQ's Worker with `autorun: false` + `waitUntilReady()`; Requeue on the already
 * connected client), and only then starts the meter (bench/queue-meter.ts), so connects, INFO
 * and BullMQ's start-up checks are outside the clock for both. Each returns jobs/s.
 *
 * Both run their defaults unless a scenario says otherwise: Requeue's consumer with its default
 * poll (200 ms; it matters only on an empty queue) and, unless `prefetch` is given, its default
 * prefetch (as many as the concurrency: "c + prefetch"); BullMQ with its default retention
 * (completed and failed jobs kept), unless `matchedRetention` gives it Requeue's bounds.
 */
import { Queue as BullQueue, Worker as BullWorker } from "bullmq";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { createRedisFromUrl, type RedisClient } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { pin } from "./measure.ts";
import { Meter } from "./queue-meter.ts";
import { throwVaried } from "./varied-errors.ts";

export interface Target {
  host: string;
  port: number;
  url: string;
  client: RedisClient;
}

export interface RunOptions {
  /** Requeue's prefetch; undefined = its default (as many as the concurrency). BullMQ has none. */
  prefetch?: number;
  /** BullMQ keeps completed jobs within Requeue's completed bounds (age and count), not forever. */
  matchedRetention?: boolean;
  meter?: Meter;
}

export interface Runner {
  name: string;
  /** no-op jobs/s at a concurrency, queue pre-filled with n jobs */
  noop(t: Target, queue: string, n: number, concurrency: number, o?: RunOptions): Promise<number>;
  /** single adds/s with `inFlight` adds outstanding */
  add(t: Target, queue: string, n: number, inFlight: number, o?: RunOptions): Promise<number>;
  /** always-failing jobs (3 attempts, 1 ms backoff, varied errors) until all are dead: jobs/s */
  failing(
    t: Target,
    queue: string,
    n: number,
    concurrency: number,
    payload: unknown,
    o?: RunOptions,
  ): Promise<number>;
}

/** A fresh redis-server pinned to core 1, this process to core 0 (`pinned`: whether taskset could). */
export async function benchTarget() {
  const server = await startRedisServer();
  const pinned = pin(process.pid, 0) && server.pid !== undefined && pin(server.pid, 1);
  const client = createRedisFromUrl(server.url);
  const t: Target = { host: "127.0.0.1", port: server.port, url: server.url, client };
  return { server, client, t, pinned };
}

const waitFor = (done: () => boolean) =>
  new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (done()) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });

async function inBatches(n: number, inFlight: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** Times `work` between the meter's begin and end; jobs/s. */
async function timed(t: Target, n: number, o: RunOptions, work: () => Promise<void>): Promise<number> {
  const meter = o.meter ?? new Meter(t.client);
  await meter.begin();
  await work();
  await meter.end();
  return n / (meter.result?.seconds ?? Number.NaN);
}

const ourConfig = (t: Target) => parseConfig({ REDIS_URL: t.url });
const ourQueue = (t: Target, name: string) => createQueue(name, { client: t.client, config: ourConfig(t) });

export const requeue: Runner = {
  name: "requeue",
  async noop(t, name, n, concurrency, o = {}) {
    const q = ourQueue(t, name);
    for (let i = 0; i < n; i += 5000)
      await q.addBatch(Array.from({ length: Math.min(5000, n - i) }, () => ({ data: {} })));
    const rate = await timed(t, n, o, async () => {
      const c = q.process(async () => {}, { concurrency, prefetch: o.prefetch });
      await waitFor(() => c.counters.completed >= n);
    });
    await q.close();
    return rate;
  },
  async add(t, name, n, inFlight, o = {}) {
    const q = ourQueue(t, name);
    await q.add({ warm: true }); // registers the queue and loads the script, as BullMQ's ready queue has
    return timed(t, n, o, () => inBatches(n, inFlight, (i) => q.add({ i })));
  },
  async failing(t, name, n, concurrency, payload, o = {}) {
    const q = ourQueue(t, name);
    for (let i = 0; i < n; i += 2000)
      await q.addBatch(
        Array.from({ length: Math.min(2000, n - i) }, () => ({
          data: payload,
          opts: { maxAttempts: 3, backoff: { type: "fixed" as const, baseMs: 1 } },
        })),
      );
    const rate = await timed(t, n, o, async () => {
      const c = q.process(async () => throwVaried(), { concurrency, prefetch: o.prefetch });
      await waitFor(() => c.counters.deadLettered >= n);
    });
    await q.close();
    return rate;
  },
};

const conn = (t: Target) => ({ host: t.host, port: t.port, maxRetriesPerRequest: null });

/** Requeue's completed bounds (COMPLETED_RETENTION_SECONDS, COMPLETED_MAX_ENTRIES) in BullMQ's terms. */
function matchedRemoveOnComplete(t: Target) {
  const c = ourConfig(t);
  return { age: c.COMPLETED_RETENTION_SECONDS, count: c.COMPLETED_MAX_ENTRIES };
}

/** A BullMQ worker connected and ready but not yet running; `run()` starts it. */
async function readyWorker(t: Target, name: string, concurrency: number, fn: () => Promise<void>) {
  const w = new BullWorker(name, fn, { connection: conn(t), concurrency, autorun: false });
  await w.waitUntilReady();
  return w;
}

export const bullmq: Runner = {
  name: "bullmq",
  async noop(t, name, n, concurrency, o = {}) {
    const q = new BullQueue(name, { connection: conn(t) });
    const opts = o.matchedRetention ? { removeOnComplete: matchedRemoveOnComplete(t) } : undefined;
    for (let i = 0; i < n; i += 5000)
      await q.addBulk(Array.from({ length: Math.min(5000, n - i) }, () => ({ name: "j", data: {}, opts })));
    let done = 0;
    const w = await readyWorker(t, name, concurrency, async () => {});
    w.on("completed", () => done++);
    const rate = await timed(t, n, o, async () => {
      void w.run();
      await waitFor(() => done >= n);
    });
    await w.close();
    await q.close();
    return rate;
  },
  async add(t, name, n, inFlight, o = {}) {
    const q = new BullQueue(name, { connection: conn(t) });
    await q.waitUntilReady();
    await q.add("j", { warm: true }); // loads the script, as Requeue's warm add does
    const rate = await timed(t, n, o, () => inBatches(n, inFlight, (i) => q.add("j", { i })));
    await q.close();
    return rate;
  },
  async failing(t, name, n, concurrency, payload, o = {}) {
    const q = new BullQueue(name, { connection: conn(t) });
    const opts = { attempts: 3, backoff: { type: "fixed", delay: 1 } };
    for (let i = 0; i < n; i += 2000)
      await q.addBulk(
        Array.from({ length: Math.min(2000, n - i) }, () => ({ name: "j", data: payload, opts })),
      );
    let dead = 0;
    const w = await readyWorker(t, name, concurrency, async () => throwVaried());
    w.on("failed", (job) => {
      if (job && job.attemptsMade >= 3) dead++;
    });
    const rate = await timed(t, n, o, async () => {
      void w.run();
      await waitFor(() => dead >= n);
    });
    await w.close();
    await q.close();
    return rate;
  },
};
