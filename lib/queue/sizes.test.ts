/**
 * queueSizes() is one atomic read: while consumers move jobs between states, every read sees
 * each job in exactly one state, so the sizes always add up to the number of jobs. The reader
 * talks to Redis through a proxy that delivers each command separately (as a real network may),
 * so a read made of several commands would see other clients' moves between them. On a Cluster
 * the reader connects directly (the proxy speaks to one node).
 */
import { afterEach, expect, it } from "vitest";
import { closeQueue, testQueue, until } from "../../test/harness/fixtures.ts";
import { isCluster, testConfig } from "../../test/harness/index.ts";
import { type SplitProxy, startSplitProxy } from "../../test/harness/split-proxy.ts";
import { createRedisFromUrl, type RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { leaseKeys } from "./context.ts";
import type { Queue } from "./index.ts";
import { runScript } from "./scripts.ts";
import { queueSizes } from "./stats.ts";

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

it("the raw reads of docs/queue.md list the ids of each state, and queueSizes counts the same", async () => {
  q = testQueue();
  const client = q.ctx.client;
  await q.addBatch([
    { data: { fail: true }, opts: { jobId: "gone-dead", maxAttempts: 1 } },
    { data: {}, opts: { jobId: "done" } },
  ]);
  const c = q.process((job) => {
    if ((job.data as { fail?: boolean }).fail) throw new Error("no");
  });
  await until(
    async () => (await queueSizes(client, q.name)).completed + (await queueSizes(client, q.name)).dead === 2,
  );
  await c.close();
  await q.addBatch([
    { data: {}, opts: { jobId: "leased" } },
    { data: {}, opts: { jobId: "later", delayMs: 60_000 } },
    { data: {}, opts: { jobId: "waiting" } },
  ]);
  const s = q.ctx.settings;
  // a consumer that leases one job and never comes back
  await runScript(client, "lease", leaseKeys(q.ctx.keys), [
    "gone",
    1,
    60_000,
    0,
    s.dlqRetentionMs,
    s.dlqMaxEntries,
  ]);
  const k = queueKeys(q.name, s.prefix);
  expect({
    ready: await client.lrange(k.ready, 0, 99),
    active: await client.zrange(k.active, "0", "99"),
    retry: await client.zrange(k.retry, "0", "99"),
    dead: await client.zrange(k.dead, "0", "99"),
    completed: await client.zrange(k.completed, "0", "99"),
  }).toEqual({
    ready: ["waiting"],
    active: ["leased"],
    retry: ["later"],
    dead: ["gone-dead"],
    completed: ["done"],
  });
  expect(await queueSizes(client, q.name)).toEqual({ ready: 1, active: 1, retry: 1, dead: 1, completed: 1 });
});
