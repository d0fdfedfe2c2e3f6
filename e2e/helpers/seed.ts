/**
 * Real failures for e2e tests, made the way an application makes them: jobs added with
 * lib/queue's producer and run by a lib/queue consumer whose handler throws, in this test
 * process, against the isolated Redis of e2e/serve.ts. Nothing is written to Redis by hand.
 *
 *   const ids = await seedDeadLetters(queue, [{ error: "Timeout after 3000 ms" }, …]);
 *   const seen = await startSucceedingConsumer(queue);   // then requeue from the UI
 *   await expect.poll(() => seen.has(ids[0])).toBe(true);
 */
import { randomBytes } from "node:crypto";
import { purgeQueue } from "../../lib/dlq/index.ts";
import { createQueue, type Queue } from "../../lib/queue/index.ts";
import { queueSizes } from "../../lib/queue/stats.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import { queueKeys } from "../../lib/redis/keys.ts";
import { e2eClient } from "../env.ts";

export interface FailingJob {
  /** the message the handler throws */
  error: string;
  /** the error's name (class) */
  name?: string;
  id?: string;
  data?: Record<string, unknown>;
}

const seeded = new Set<string>();

/** A queue name no other test uses (remembered, so `purgeSeeded` can clean up after a spec). */
export function uniqueQueue(label: string): string {
  const name = `e2e-${label}-${randomBytes(3).toString("hex")}`;
  seeded.add(name);
  return name;
}

/** Deletes the dead letters of every queue this process seeded, so later specs see no DLQ alerts from them. */
export async function purgeSeeded(): Promise<void> {
  const client = e2eClient();
  try {
    for (const queue of seeded) await purgeQueue(client, queue);
    seeded.clear();
  } finally {
    await client.quit();
  }
}

function open(queue: string): { client: RedisClient; q: Queue } {
  const client = e2eClient();
  return { client, q: createQueue(queue, { client }) };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Adds the jobs, runs them with a handler that throws each job's error, and returns once every
 * one is a dead letter (ids in the order given). Two attempts each, 10 ms apart, so the entries
 * carry a timeline of two errors.
 */
export async function seedDeadLetters(queue: string, jobs: FailingJob[], attempts = 2): Promise<string[]> {
  const { client, q } = open(queue);
  try {
    const before = (await queueSizes(client, queue)).dead;
    const added = await q.addBatch(
      jobs.map((j, i) => ({
        data: { n: i, ...j.data, error: j.error, name: j.name ?? "Error" },
        opts: {
          jobId: j.id,
          maxAttempts: attempts,
          backoff: { type: "fixed" as const, baseMs: 10 },
          metadata: { producer: "e2e", test: queue },
        },
      })),
    );
    q.process<{ error: string; name: string }>(
      (job) => {
        const err = new Error(job.data.error);
        err.name = job.data.name;
        throw err;
      },
      { concurrency: 16, pollMs: 20, promoteIntervalMs: 20, onError: () => {} },
    );
    await until(
      async () => (await queueSizes(client, queue)).dead >= before + jobs.length,
      `${jobs.length} dead letters in ${queue}`,
    );
    return added.map((a) => a.id);
  } finally {
    await q.close(2000);
    await client.quit();
  }
}

/** A consumer that succeeds, recording each job's id and data; `stop()` closes it. */
export async function startSucceedingConsumer(queue: string) {
  const { client, q } = open(queue);
  const seen = new Map<string, unknown>();
  q.process(
    (job) => {
      seen.set(job.id, job.data);
    },
    { concurrency: 4, pollMs: 20, promoteIntervalMs: 50, onError: () => {} },
  );
  return {
    seen,
    async stop() {
      await q.close(2000);
      await client.quit();
    },
  };
}

/** Current sizes of a queue, read with lib/queue/stats. */
export async function sizesOf(queue: string) {
  const client = e2eClient();
  try {
    return await queueSizes(client, queue);
  } finally {
    await client.quit();
  }
}

/**
 * A consumer whose handler throws an error quoting the job's own data, as an application does
 * ("Mailbox jane@… rejected"), with jobs of `attempts` tries; it keeps running, so a requeued
 * job fails again. `add` adds one job; `untilDead(id, errors)` waits until the job is a dead
 * letter with at least that many recorded errors; `stop()` closes it.
 */
export async function startFailingConsumer(
  queue: string,
  message: (data: Record<string, unknown>) => string,
  attempts = 2,
) {
  const { client, q } = open(queue);
  q.process<Record<string, unknown>>(
    (job) => {
      throw new Error(message(job.data));
    },
    { concurrency: 4, pollMs: 20, promoteIntervalMs: 20, onError: () => {} },
  );
  return {
    async add(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<string> {
      const opts = { maxAttempts: attempts, backoff: { type: "fixed" as const, baseMs: 10 }, metadata };
      return (await q.add(data, opts)).id;
    },
    async untilDead(id: string, errors: number): Promise<void> {
      const k = queueKeys(queue);
      await until(async () => {
        const [score, raw] = await Promise.all([client.zscore(k.dead, id), client.hget(k.job(id), "errors")]);
        return score !== null && (JSON.parse(raw ?? "[]") as unknown[]).length >= errors;
      }, `${id} dead with ${errors} errors`);
    },
    async stop() {
      await q.close(2000);
      await client.quit();
    },
  };
}
