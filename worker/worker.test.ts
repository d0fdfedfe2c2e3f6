/** The worker service: task registry and single-runner guard, housekeeping sweeps, heartbeats, SIGTERM. */
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { leaseKeys } from "../lib/queue/context.ts";
import { reclaimExpired, reclaimIfDue, trimCompleted, trimDead } from "../lib/queue/maintenance.ts";
import { promoteDue } from "../lib/queue/retry.ts";
import { runScript } from "../lib/queue/scripts.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { globalKeys } from "../lib/redis/keys.ts";
import { closeQueue, sleep, testQueue, until } from "../test/harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "../test/harness/index.ts";
import { readHeartbeats } from "./heartbeat.ts";
import { reclaimAll, sweepAll } from "./housekeeping.ts";
import { startWorker } from "./runner.ts";
import type { Task } from "./tasks.ts";

describe("task runner", () => {
  const prefix = uniqueName("w");
  const config = testConfig({ REDIS_KEY_PREFIX: prefix, WORKER_INTERVAL_MS: "100" });
  const client = testRedis();
  afterAll(() => client.quit());

  it("runs each task once per interval across replicas, and beats", async () => {
    let runs = 0;
    const task: Task = { name: "count", intervalMs: 200, options: {}, fn: () => ++runs };
    const a = startWorker({ client, config, tasks: [task] });
    const b = startWorker({ client, config, tasks: [task] });
    await sleep(1100);
    const beats = await readHeartbeats(client, prefix);
    expect(beats.map((h) => h.id).sort()).toEqual([a.id, b.id].sort());
    expect(beats.every((h) => h.alive)).toBe(true);
    await Promise.all([a.stop(1000), b.stop(1000)]);
    // 1100 ms / 200 ms ≈ 6 intervals; without the guard the two replicas would run ~12 times
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(runs).toBeLessThanOrEqual(8);
    expect(a.status.count.skipped + b.status.count.skipped).toBeGreaterThan(0);
    expect(await readHeartbeats(client, prefix)).toEqual([]);
  });

  it("records a failing task's error and keeps running it", async () => {
    let runs = 0;
    const task: Task = {
      name: "flaky",
      intervalMs: 50,
      options: { everyReplica: true },
      fn: () => {
        runs++;
        throw new Error("nope");
      },
    };
    const w = startWorker({ client, config, tasks: [task], log: () => {} });
    await until(() => runs >= 3);
    expect(w.status.flaky.lastError).toBe("nope");
    expect(await w.stop(1000)).toBe(true);
  });
});

describe("housekeeping sweeps", () => {
  it("promote, reclaim, trim dead and trim completed, over every registered queue", async () => {
    const q = testQueue({ DLQ_RETENTION_DAYS: String(100 / 86_400_000), COMPLETED_MAX_ENTRIES: "1" });
    const { client } = q.ctx;
    const config = testConfig({ DLQ_RETENTION_DAYS: String(100 / 86_400_000), COMPLETED_MAX_ENTRIES: "1" });
    await q.add({ delayed: true }, { delayMs: 50 });
    await sleep(80);
    expect((await sweepAll(client, config, promoteDue)).promoted).toBeGreaterThanOrEqual(1);
    expect((await queueSizes(client, q.name)).ready).toBe(1);

    const s = q.ctx.settings;
    await runScript(client, "lease", leaseKeys(q.ctx.keys), ["gone", 1, 20, 0, s.dlqRetentionMs, 0]);
    await sleep(40);
    expect(await reclaimExpired(q.ctx)).toEqual({ reclaimed: 1, deadLettered: 0 });

    await client.zadd(q.ctx.keys.completed, 1, "old-a", 2, "old-b", Date.now(), "new");
    expect(await trimCompleted(q.ctx)).toEqual({ completedTrimmed: 2 });
    expect(await client.zrange(q.ctx.keys.completed, "0", "-1")).toEqual(["new"]);

    await q.add({}, { maxAttempts: 1 });
    const c = q.process(async () => {
      throw new Error("dead");
    });
    await until(async () => (await queueSizes(client, q.name)).dead >= 1);
    await c.close();
    await sleep(150);
    expect((await trimDead(q.ctx)).dropped).toBeGreaterThanOrEqual(1);
    expect((await queueSizes(client, q.name)).dead).toBe(0);
    await closeQueue(q);
  });
});

describe("reclaim", () => {
  it("a consumer's reclaim and the worker's take one lock per queue: one of them per period", async () => {
    const q = testQueue();
    const { client, settings } = q.ctx;
    const task = { client, config: testConfig(), workerId: "worker-a", signal: new AbortController().signal };
    await q.add({});
    // a consumer of this queue reclaims now; its period (its lease) is 10 s, the lock held 1 s
    expect(await reclaimIfDue(q.ctx, "consumer-a", 10_000)).toEqual({ reclaimed: 0, deadLettered: 0 });
    await runScript(client, "lease", leaseKeys(q.ctx.keys), ["gone", 1, 20, 0, settings.dlqRetentionMs, 0]);
    await sleep(40); // that lease expired
    expect(await reclaimIfDue(q.ctx, "consumer-b", 10_000)).toEqual({});
    await reclaimAll(task);
    expect((await queueSizes(client, q.name)).active).toBe(1); // the worker waited too
    await client.del(globalKeys(settings.prefix).sweepLock(`reclaim:${q.name}`)); // the hold is over
    await reclaimAll(task);
    expect(await queueSizes(client, q.name)).toMatchObject({ active: 0, ready: 1 });
    await closeQueue(q);
  });
});

describe("worker service", () => {
  it("npm run worker: beats, does housekeeping, and exits on SIGTERM within the bound", async () => {
    const prefix = uniqueName("svc");
    const overrides = { REDIS_KEY_PREFIX: prefix, WORKER_INTERVAL_MS: "100" };
    const q = testQueue(overrides);
    const config = testConfig(overrides);
    const env = {
      ...process.env,
      REDIS_URL: config.REDIS_URL,
      REDIS_CLUSTER_NODES: process.env.TEST_REDIS_CLUSTER === "1" ? nodesOf(config) : "",
      ...overrides,
      WORKER_SHUTDOWN_MS: "3000",
    };
    await q.add({}, { delayMs: 10 });
    const proc = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], { env, stdio: "pipe" });
    let output = "";
    proc.stdout.on("data", (d) => (output += d));
    proc.stderr.on("data", (d) => (output += d));
    try {
      await until(async () => (await readHeartbeats(q.ctx.client, prefix)).length === 1, 20_000, "heartbeat");
      await until(
        async () => (await queueSizes(q.ctx.client, q.name, { prefix })).ready === 1,
        5000,
        "promotion",
      ).catch((e) => {
        throw new Error(`${e.message}; worker said: ${output}`);
      });
      const t0 = Date.now();
      const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
      proc.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(await readHeartbeats(q.ctx.client, prefix)).toEqual([]);
    } finally {
      proc.kill("SIGKILL");
      await closeQueue(q);
    }
  }, 40_000);
});

function nodesOf(config: ReturnType<typeof testConfig>): string {
  return (config.REDIS_CLUSTER_NODES ?? []).map((n) => `${n.host}:${n.port}`).join(",");
}
