/**
 * queueSizes() is one atomic read: while consumers move jobs between states, every read sees
 * each job in exactly one state, so the sizes always add up to the number of jobs. The reader
 * talks to Redis through a proxy that delivers each command separately (as a real network may),
 * so a read made of several commands would see other clients' moves between them. On a Cluster
 * the reader connects directly (the proxy speaks to one node).
 */
import { afterEach, expect, it } from "vitest";
import { isCluster, testConfig } from "../../test/harness/index.ts";
import { type SplitProxy, startSplitProxy } from "../../test/harness/split-proxy.ts";
import { createRedisFromUrl, type RedisClient } from "../redis/connection.ts";
import type { Queue } from "./index.ts";
import { queueSizes } from "./stats.ts";
import { closeQueue, testQueue } from "./testing.ts";

let q: Queue;
let proxy: SplitProxy | undefined;
let reads: RedisClient | undefined;
afterEach(async () => {
  await closeQueue(q);
  reads?.disconnect();
  await proxy?.close();
});

async function readerClient(): Promise<RedisClient> {
  if (isCluster()) return q.ctx.client;
  const url = new URL(testConfig().REDIS_URL);
  proxy = await startSplitProxy({ host: url.hostname, port: Number(url.port) });
  reads = createRedisFromUrl(`redis://127.0.0.1:${proxy.port}`);
  return reads;
}

it("the sizes add up to the number of jobs at every read while jobs move", async () => {
  q = testQueue();
  const n = 600;
  await q.addBatch(
    Array.from({ length: n }, () => ({ data: {}, opts: { backoff: { type: "fixed" as const, baseMs: 1 } } })),
  );
  // ready → active → retry → ready → active → completed, many at once
  const c = q.process(
    async (job) => {
      await new Promise((r) => setTimeout(r, 10));
      if (job.attempt === 1) throw new Error("once");
    },
    { concurrency: 20, promoteIntervalMs: 1 },
  );
  const client = await readerClient();
  const totals = new Map<number, number>();
  const reader = async () => {
    while (c.counters.completed < n) {
      const s = await queueSizes(client, q.name);
      const total = s.ready + s.active + s.retry + s.dead + s.completed;
      totals.set(total, (totals.get(total) ?? 0) + 1);
    }
  };
  await Promise.all([reader(), reader()]);
  expect([...totals.keys()]).toEqual([n]);
  expect(totals.get(n)).toBeGreaterThan(20); // it did read while jobs moved
});
