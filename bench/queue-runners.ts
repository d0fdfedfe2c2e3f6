/**
 * The scenarios of bench/queue.ts, once for Requeue and once for BullMQ, with the same shape:
 * each takes a fresh queue name and returns what it measured. Both libraries run with their
 * default storage options (BullMQ keeps completed and failed jobs; Requeue keeps completed ids,
 * up to COMPLETED_MAX_ENTRIES, and dead letters).
 */
import { Queue as BullQueue, Worker as BullWorker } from "bullmq";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import type { RedisClient } from "../lib/redis/connection.ts";

export interface Target {
  host: string;
  port: number;
  url: string;
  client: RedisClient;
}

export interface Runner {
  name: string;
  /** no-op jobs/s at a concurrency, queue pre-filled with n jobs */
  noop(t: Target, queue: string, n: number, concurrency: number): Promise<number>;
  /** single adds/s with `inFlight` adds outstanding */
  add(t: Target, queue: string, n: number, inFlight: number): Promise<number>;
  /** always-failing jobs (3 attempts, 1 ms backoff) until all are dead: jobs/s */
  failing(t: Target, queue: string, n: number, concurrency: number, payload: unknown): Promise<number>;
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

const ourQueue = (t: Target, name: string) =>
  createQueue(name, { client: t.client, config: parseConfig({ REDIS_URL: t.url }) });

export const requeue: Runner = {
  name: "requeue",
  async noop(t, name, n, concurrency) {
    const q = ourQueue(t, name);
    for (let i = 0; i < n; i += 5000)
      await q.addBatch(Array.from({ length: Math.min(5000, n - i) }, () => ({ data: {} })));
    const t0 = performance.now();
    const c = q.process(async () => {}, { concurrency, pollMs: 20 });
    await waitFor(() => c.counters.completed >= n);
    const s = (performance.now() - t0) / 1000;
    await q.close();
    return n / s;
  },
  async add(t, name, n, inFlight) {
    const q = ourQueue(t, name);
    const t0 = performance.now();
    await inBatches(n, inFlight, (i) => q.add({ i }));
    return n / ((performance.now() - t0) / 1000);
  },
  async failing(t, name, n, concurrency, payload) {
    const q = ourQueue(t, name);
    for (let i = 0; i < n; i += 2000)
      await q.addBatch(
        Array.from({ length: Math.min(2000, n - i) }, () => ({
          data: payload,
          opts: { maxAttempts: 3, backoff: { type: "fixed" as const, baseMs: 1 } },
        })),
      );
    const t0 = performance.now();
    const c = q.process(
      async () => {
        throw new Error("boom");
      },
      { concurrency, pollMs: 20 },
    );
    await waitFor(() => c.counters.deadLettered >= n);
    const s = (performance.now() - t0) / 1000;
    await q.close();
    return n / s;
  },
};

const conn = (t: Target) => ({ host: t.host, port: t.port, maxRetriesPerRequest: null });

export const bullmq: Runner = {
  name: "bullmq",
  async noop(t, name, n, concurrency) {
    const q = new BullQueue(name, { connection: conn(t) });
    for (let i = 0; i < n; i += 5000)
      await q.addBulk(Array.from({ length: Math.min(5000, n - i) }, () => ({ name: "j", data: {} })));
    let done = 0;
    const t0 = performance.now();
    const w = new BullWorker(name, async () => {}, { connection: conn(t), concurrency });
    w.on("completed", () => done++);
    await waitFor(() => done >= n);
    const s = (performance.now() - t0) / 1000;
    await w.close();
    await q.close();
    return n / s;
  },
  async add(t, name, n, inFlight) {
    const q = new BullQueue(name, { connection: conn(t) });
    await q.waitUntilReady();
    const t0 = performance.now();
    await inBatches(n, inFlight, (i) => q.add("j", { i }));
    const rate = n / ((performance.now() - t0) / 1000);
    await q.close();
    return rate;
  },
  async failing(t, name, n, concurrency, payload) {
    const q = new BullQueue(name, { connection: conn(t) });
    const opts = { attempts: 3, backoff: { type: "fixed", delay: 1 } };
    for (let i = 0; i < n; i += 2000)
      await q.addBulk(
        Array.from({ length: Math.min(2000, n - i) }, () => ({ name: "j", data: payload, opts })),
      );
    let dead = 0;
    const t0 = performance.now();
    const w = new BullWorker(
      name,
      async () => {
        throw new Error("boom");
      },
      { connection: conn(t), concurrency },
    );
    w.on("failed", (job) => {
      if (job && job.attemptsMade >= 3) dead++;
    });
    await waitFor(() => dead >= n);
    const s = (performance.now() - t0) / 1000;
    await w.close();
    await q.close();
    return n / s;
  },
};
