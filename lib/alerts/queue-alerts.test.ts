/**
 * The queue alerts, measured from real jobs: lib/queue producers and consumers whose
 * handlers fail on purpose, and lib/dlq to clear what they dead-lettered. Each test has a key
 * prefix of its own (lib/dlq reads it from the environment), so no other test's queues count.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { until } from "../../test/harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { type Config, resetConfig } from "../config.ts";
import { deleteDeadLetters } from "../dlq/mutate.ts";
import { createQueue, type Queue } from "../queue/index.ts";
import { queueSizes } from "../queue/stats.ts";
import { queueKeys } from "../redis/keys.ts";
import { evaluateAlerts, listAlerts } from "./evaluate.ts";
import { alertHistory } from "./index.ts";
import { setThreshold } from "./settings.ts";

const client = testRedis();
let config: Config;
let queues: Queue[] = [];

beforeEach(() => {
  const env = { REDIS_KEY_PREFIX: uniqueName("aq"), RETRY_BACKOFF_BASE_SECONDS: "0" };
  config = testConfig(env);
  Object.assign(process.env, env, { REDIS_URL: config.REDIS_URL });
  resetConfig();
});
afterEach(async () => {
  await Promise.all(queues.map((q) => q.close()));
  queues = [];
});

/**
 * Runs jobs to their end: each fails its first `fail` attempts, then succeeds (if attempts remain).
 * `dropped`: dead letters the DLQ cap is expected to drop (they end in no state).
 */
async function run(jobs: { fail: number; maxAttempts: number }[], name = uniqueName("q"), dropped = 0) {
  const q = createQueue(name, { client, config });
  queues.push(q);
  const before = await queueSizes(client, name, { prefix: config.REDIS_KEY_PREFIX });
  await q.addBatch(jobs.map((j) => ({ data: { fail: j.fail }, opts: { maxAttempts: j.maxAttempts } })));
  const consumer = q.process<{ fail: number }>(
    async (job) => {
      if (job.attempt <= job.data.fail) throw new Error(`planned failure ${job.attempt}`);
    },
    { concurrency: 4, pollMs: 10, promoteIntervalMs: 10, onError: () => {} },
  );
  const expected = before.completed + before.dead + jobs.length - dropped;
  await until(async () => {
    const s = await queueSizes(client, name, { prefix: config.REDIS_KEY_PREFIX });
    return s.ready + s.active + s.retry === 0 && s.completed + s.dead >= expected;
  }, 25_000);
  await consumer.close();
  return name;
}

const times = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

async function alert(id: string) {
  return (await listAlerts(client, config)).find((a) => a.id === id)!;
}

describe("queue alerts from real jobs", () => {
  it("DLQ size fires above the threshold and resolves when dead letters are deleted", async () => {
    await setThreshold(client, "dlq_size", 2, config);
    const queue = await run(times(3, { fail: 9, maxAttempts: 1 }));
    await evaluateAlerts(client, { config });
    expect(await alert("dlq_size")).toMatchObject({ state: "firing", value: 3 });

    const ids = await client.zrange(queueKeys(queue, config.REDIS_KEY_PREFIX).dead, "0", "-1");
    await deleteDeadLetters(client, queue, ids.slice(0, 2));
    await evaluateAlerts(client, { config });
    expect(await alert("dlq_size")).toMatchObject({ state: "ok", value: 1 });
    expect((await alertHistory(client, {}, config)).map((h) => [h.id, h.to])).toEqual([
      ["dlq_size", "ok"],
      ["dlq_size", "firing"],
    ]);
  });

  it("the oldest dead letter fires past 24 h and resolves when it is gone", async () => {
    const queue = await run([{ fail: 9, maxAttempts: 1 }]);
    await evaluateAlerts(client, { config });
    const young = await alert("dlq_oldest_age");
    expect(young.state).toBe("ok");
    expect(young.value).toBeLessThan(1);

    const dayLater = Date.now() + 25 * 3_600_000;
    await evaluateAlerts(client, { config, now: dayLater });
    const old = await alert("dlq_oldest_age");
    expect(old.state).toBe("firing");
    expect(old.value).toBeGreaterThan(24);

    const ids = await client.zrange(queueKeys(queue, config.REDIS_KEY_PREFIX).dead, "0", "-1");
    await deleteDeadLetters(client, queue, ids);
    await evaluateAlerts(client, { config, now: dayLater + 1 });
    expect(await alert("dlq_oldest_age")).toMatchObject({ state: "ok", value: null });
  });

  it("retry success rate fires when retried jobs die and resolves when retries succeed", async () => {
    // 1 job recovers on its retry, 2 die after theirs: 1 / 3 of retried jobs succeeded.
    const queue = await run([{ fail: 1, maxAttempts: 2 }, ...times(2, { fail: 9, maxAttempts: 2 })]);
    await evaluateAlerts(client, { config });
    const fired = await alert("retry_success_rate");
    expect(fired.state).toBe("firing");
    expect(fired.value).toBeCloseTo(1 / 3);

    // 20 more recover on their retry: 21 / 23 > 90 %.
    await run(times(20, { fail: 1, maxAttempts: 2 }), queue);
    await evaluateAlerts(client, { config });
    const resolved = await alert("retry_success_rate");
    expect(resolved.state).toBe("ok");
    expect(resolved.value).toBeCloseTo(21 / 23);
  });

  it("retry success rate counts jobs, not attempts: a job saved on its third try is one success", async () => {
    // 9 jobs fail twice, then succeed (4 retries scheduled per 2 jobs); 1 job dies after 3 tries.
    // Per attempt that would be 9 / 20 = 45 %; per job it is 9 of 10 retried jobs = 90 %.
    await run([...times(9, { fail: 2, maxAttempts: 3 }), { fail: 9, maxAttempts: 3 }]);
    await evaluateAlerts(client, { config });
    expect(await alert("retry_success_rate")).toMatchObject({ state: "ok", value: 0.9 });
  });

  it("average retries per message fires above 2 and resolves as first-time successes dilute it", async () => {
    // 2 jobs fail all 4 attempts: 3 retries each, 2 jobs finished → 3 retries per message.
    const queue = await run(times(2, { fail: 9, maxAttempts: 4 }));
    await evaluateAlerts(client, { config });
    expect(await alert("avg_retries")).toMatchObject({ state: "firing", value: 3 });

    // 2 more jobs that succeed at once: 6 retries / 4 jobs = 1.5.
    await run(times(2, { fail: 0, maxAttempts: 4 }), queue);
    await evaluateAlerts(client, { config });
    expect(await alert("avg_retries")).toMatchObject({ state: "ok", value: 1.5 });
  });

  it("queue latency fires when the job next in line waits too long, and resolves once it runs", async () => {
    expect((await alert("queue_latency")).threshold).toBe(300); // ALERT_QUEUE_LATENCY_SECONDS
    const name = uniqueName("q");
    const q = createQueue(name, { client, config });
    queues.push(q);
    await q.add({ waits: true });
    await evaluateAlerts(client, { config });
    const fresh = await alert("queue_latency");
    expect(fresh.state).toBe("ok");
    expect(fresh.value).toBeLessThan(300);

    // ten minutes later nobody has taken it: 600 s > 300 s
    const later = Date.now() + 600_000;
    await evaluateAlerts(client, { config, now: later });
    const fired = await alert("queue_latency");
    expect(fired.state).toBe("firing");
    expect(fired.value).toBeGreaterThan(599);

    // an admin raises the threshold past the wait: it resolves at the next evaluation
    await setThreshold(client, "queue_latency", 900, config);
    await evaluateAlerts(client, { config, now: later + 1 });
    expect(await alert("queue_latency")).toMatchObject({ state: "ok", threshold: 900 });

    // a consumer takes the job: nothing waits, no value
    await setThreshold(client, "queue_latency", 1, config);
    await run([], name);
    await evaluateAlerts(client, { config, now: later + 2 });
    expect(await alert("queue_latency")).toMatchObject({ state: "ok", value: null });
  });

  it("near the cap fires before the cap drops anything, and resolves when the DLQ shrinks", async () => {
    config = testConfig({ REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX, DLQ_MAX_ENTRIES: "10" });
    const queue = await run(times(9, { fail: 9, maxAttempts: 1 }));
    await evaluateAlerts(client, { config });
    // 9 of 10 held, nothing dropped yet: over the default 80 %
    expect(await alert("dlq_near_cap")).toMatchObject({ state: "firing", value: 0.9, threshold: 0.8 });
    expect(await client.hget(queueKeys(queue, config.REDIS_KEY_PREFIX).totals, "droppedCap")).toBeNull();

    const ids = await client.zrange(queueKeys(queue, config.REDIS_KEY_PREFIX).dead, "0", "-1");
    await deleteDeadLetters(client, queue, ids.slice(0, 5));
    await evaluateAlerts(client, { config });
    expect(await alert("dlq_near_cap")).toMatchObject({ state: "ok", value: 0.4 });
  });

  it("entries the cap dropped raise the near-cap alert even once the DLQ is emptied, until they leave the window", async () => {
    config = testConfig({ REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX, DLQ_MAX_ENTRIES: "10" });
    const queue = await run(times(16, { fail: 9, maxAttempts: 1 }), uniqueName("q"), 6);
    const k = queueKeys(queue, config.REDIS_KEY_PREFIX);
    expect(await client.hget(k.totals, "droppedCap")).toBe("6");
    const ids = await client.zrange(k.dead, "0", "-1");
    await deleteDeadLetters(client, queue, ids);
    await evaluateAlerts(client, { config });
    // empty now, but 6 dropped in the window: (0 + 6) / 10 would not fire; 10 held + 6 dropped did
    const a = await alert("dlq_near_cap");
    expect(a.value).toBeCloseTo(0.6);
    // set the threshold below the drops alone: the drops fire it with an empty DLQ
    await setThreshold(client, "dlq_near_cap", 0.5, config);
    await evaluateAlerts(client, { config });
    expect(await alert("dlq_near_cap")).toMatchObject({ state: "firing" });
    // past the alert window the drops no longer count
    const later = Date.now() + (config.ALERT_WINDOW_MINUTES + 2) * 60_000;
    await evaluateAlerts(client, { config, now: later });
    expect(await alert("dlq_near_cap")).toMatchObject({ state: "ok", value: 0 });
  });

  it("near the cap has no value without a cap", async () => {
    await run(times(3, { fail: 9, maxAttempts: 1 }));
    await evaluateAlerts(client, { config });
    expect(await alert("dlq_near_cap")).toMatchObject({ state: "ok", value: null });
  });

  it("without traffic, the rates have no value and nothing fires", async () => {
    await evaluateAlerts(client, { config });
    const all = await listAlerts(client, config);
    expect(all.filter((a) => a.state === "firing")).toEqual([]);
    expect(all.find((a) => a.id === "retry_success_rate")?.value).toBeNull();
    expect(all.find((a) => a.id === "avg_retries")?.value).toBeNull();
    expect(all.find((a) => a.id === "dlq_size")?.value).toBe(0);
  });
});
