/**
 * Queue history: the processing-time histogram (bucket math, what complete-5.lua records, what a
 * real consumer measures), the folding of per-minute stats into 1 h / 24 h / 7 d charts, and the
 * waiting time of the job next in line — all against the suite's Redis.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeQueue, leaseJobs, sleep, testQueue, until } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import { minuteOf, queueKeys } from "../redis/keys.ts";
import { completeKeys, leaseKeys, promoteKeys } from "./context.ts";
import { addDurations, DURATION_SCALE, durationBucket, durationPercentiles } from "./durations.ts";
import { queueHistory } from "./history.ts";
import type { Queue } from "./index.ts";
import { runScript } from "./scripts.ts";
import { oldestWaitingAge, readMinuteHashes } from "./stats.ts";

const client = testRedis();
let q: Queue | undefined;
afterEach(async () => {
  if (q) await closeQueue(q);
  q = undefined;
});

describe("processing-time histogram math", () => {
  it("puts durations in log-spaced buckets, 50 % wider each, with an open last bucket", () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(1)).toBe(0);
    expect(durationBucket(1.4)).toBe(1); // (1, 1.5]
    expect(durationBucket(1.5)).toBe(1);
    expect(durationBucket(2)).toBe(2); // (1.5, 2.25]
    expect(durationBucket(100)).toBe(12); // 1.5^11 = 86.5 < 100 <= 1.5^12 = 129.7
    expect(durationBucket(1e12)).toBe(DURATION_SCALE.buckets - 1);
  });

  it("reads p50 and p95 from counts, interpolated inside the bucket; none without jobs", () => {
    expect(durationPercentiles(new Map())).toEqual({ p50: null, p95: null });
    // 90 jobs in (86.5, 129.7] ms, 10 in (1477, 2216] ms
    const counts = new Map([
      [12, 90],
      [19, 10],
    ]);
    const { p50, p95 } = durationPercentiles(counts);
    expect(p50).toBeGreaterThan(1.5 ** 11);
    expect(p50).toBeLessThanOrEqual(1.5 ** 12);
    expect(p95).toBeGreaterThan(1.5 ** 18);
    expect(p95).toBeLessThanOrEqual(1.5 ** 19);
    // the median of 90 in one bucket: half-way through it by rank (45 of 90 → 50 / 90 of the width)
    expect(p50).toBeCloseTo(1.5 ** 11 + (1.5 ** 12 - 1.5 ** 11) * (50 / 90));
  });
});

/** Adds `n` jobs to a fresh queue and leases them all with the lease script, as consumer "c1". */
async function leaseAll(n: number) {
  q = testQueue();
  await q.addBatch(Array.from({ length: n }, (_, i) => ({ data: { i } })));
  return leaseJobs(q, "c1", n);
}

async function recordedBuckets(queue: string, since: number) {
  const hashes = await readMinuteHashes(client, queue, minuteOf(since), minuteOf(Date.now()));
  const counts = new Map<number, number>();
  for (const h of hashes) addDurations(counts, h.hash);
  return counts;
}

describe("what the ack records", () => {
  it("complete-5.lua counts each duration in the bucket durations.ts computes, in the same call", async () => {
    const durations = [0, 1, 2, 7, 100, 101, 1_500, 60_000, 3_600_000, 1e12, -1];
    const since = Date.now();
    const jobs = await leaseAll(durations.length);
    const args = jobs.flatMap((j, i) => [j.id, j.attempt, durations[i]]);
    const codes = await runScript<number[]>(q!.ctx.client, "complete", completeKeys(q!.ctx.keys), [
      "c1",
      0,
      0, // no payload kept
      ...args,
    ]);
    expect(codes).toEqual(durations.map(() => 1));
    const expected = new Map<number, number>();
    for (const ms of durations.filter((d) => d >= 0)) {
      const b = durationBucket(ms);
      expected.set(b, (expected.get(b) ?? 0) + 1);
    }
    // -1 (not measured) counts nothing
    expect(await recordedBuckets(q!.name, since)).toEqual(expected);
  });

  it("a real consumer sends how long each handler ran", async () => {
    q = testQueue();
    const since = Date.now();
    await q.addBatch(Array.from({ length: 4 }, () => ({ data: {} })));
    const consumer = q.process(() => sleep(60), { concurrency: 4, pollMs: 10 });
    await until(
      async () => [...(await recordedBuckets(q!.name, since)).values()].reduce((a, b) => a + b, 0) === 4,
    );
    await consumer.close();
    const counts = await recordedBuckets(q.name, since);
    // each handler slept 60 ms: no job can land below the bucket of 50 ms
    for (const bucket of counts.keys()) expect(bucket).toBeGreaterThanOrEqual(durationBucket(50));
  });
});

describe("history: per-minute stats folded into chart steps", () => {
  /** Writes one stats hash per minute offset (minutes before `now`'s minute). */
  async function seed(
    queue: string,
    prefix: string,
    nowMin: number,
    rows: Record<number, Record<string, number>>,
  ) {
    const k = queueKeys(queue, prefix);
    const pipe = client.pipeline();
    for (const [ago, fields] of Object.entries(rows)) {
      pipe.hset(k.stats(nowMin - Number(ago)), fields);
      pipe.expire(k.stats(nowMin - Number(ago)), 600);
    }
    await pipe.exec();
  }

  it("1 h: 60 complete minutes, the minute in progress left out", async () => {
    const prefix = uniqueName("hist");
    const queue = "h1";
    const nowMin = minuteOf(Date.now());
    await seed(queue, prefix, nowMin, {
      0: { completed: 999 }, // in progress: not charted
      1: { added: 5, completed: 4, failed: 1, retried: 1, dead: 0 },
      60: { completed: 7 },
      61: { completed: 8 }, // before the hour
    });
    const h = await queueHistory(client, queue, "1h", { prefix, now: nowMin * 60_000 + 30_000 });
    expect(h.points).toHaveLength(60);
    expect(h.stepMs).toBe(60_000);
    const last = h.points.at(-1)!;
    expect(last).toMatchObject({ t: (nowMin - 1) * 60_000, added: 5, completed: 4, failed: 1, retried: 1 });
    expect(h.points[0]).toMatchObject({ t: (nowMin - 60) * 60_000, completed: 7 });
    expect(h.points.reduce((n, p) => n + p.completed, 0)).toBe(11);
  });

  it("24 h and 7 d: 15-minute and 2-hour steps, jobs per minute averaged, percentiles from summed buckets", async () => {
    const prefix = uniqueName("hist");
    const queue = "h7";
    // a `now` whose minute starts a 2-hour step: every step of both ranges is whole
    const nowMin = Math.floor(minuteOf(Date.now()) / 120) * 120;
    await seed(queue, prefix, nowMin, {
      1: { completed: 30, pt3: 29, pt20: 1 }, // the last 15-minute step
      2: { completed: 15, failed: 15, pt3: 15 },
      2000: { added: 120 }, // ~33 h ago: 7 d only
    });
    const now = nowMin * 60_000 + 1_000;
    const day = await queueHistory(client, queue, "24h", { prefix, now });
    expect(day.points).toHaveLength(96);
    expect(day.stepMs).toBe(15 * 60_000);
    const step = day.points.at(-1)!;
    expect(step.minutes).toBe(15);
    expect(step.completed).toBe(45 / 15);
    expect(step.failed).toBe(1);
    // 44 of 45 completions in bucket 3, 1 in bucket 20
    expect(step.p50Ms).toBeGreaterThan(1.5 ** 2);
    expect(step.p50Ms).toBeLessThanOrEqual(1.5 ** 3);
    expect(step.p95Ms).toBeLessThanOrEqual(1.5 ** 3);
    expect(day.points[0].p50Ms).toBeNull();
    expect(day.points.reduce((n, p) => n + p.added, 0)).toBe(0);

    const week = await queueHistory(client, queue, "7d", { prefix, now });
    expect(week.points).toHaveLength(84);
    expect(week.points.reduce((n, p) => n + p.added * p.minutes, 0)).toBe(120);
    expect(week.points.at(-1)!.completed).toBe(45 / 120);
  });

  it("steps that are over are read once; the newest minutes are read on every call", async () => {
    const prefix = uniqueName("hist");
    const queue = "hc";
    const nowMin = Math.floor(minuteOf(Date.now()) / 15) * 15 + 7;
    await seed(queue, prefix, nowMin, { 1: { completed: 1 }, 30: { completed: 15 } });
    const now = nowMin * 60_000;
    const before = await queueHistory(client, queue, "24h", { prefix, now });
    // later writes into a step long over (no script does this) are not read again …
    await seed(queue, prefix, nowMin, { 30: { completed: 999 }, 1: { completed: 2 } });
    const after = await queueHistory(client, queue, "24h", { prefix, now });
    const old = (h: typeof before) =>
      h.points.find((p) => p.t === Math.floor((nowMin - 30) / 15) * 15 * 60_000);
    expect(old(after)).toEqual(old(before));
    // … while the step still in progress is
    expect(after.points.at(-1)!.completed).toBeGreaterThan(before.points.at(-1)!.completed);
  });

  it("a step the range only partly covers averages over its covered minutes, not its length", async () => {
    const prefix = uniqueName("hist");
    const queue = "hp";
    const nowMin = Math.floor(minuteOf(Date.now()) / 15) * 15 + 4; // 4 minutes into a step
    await seed(queue, prefix, nowMin, {
      1: { completed: 10 },
      2: { completed: 10 },
      3: { completed: 10 },
      4: { completed: 10 },
    });
    const h = await queueHistory(client, queue, "24h", { prefix, now: nowMin * 60_000 });
    const last = h.points.at(-1)!;
    expect(last.minutes).toBe(4);
    expect(last.completed).toBe(10); // 40 jobs over 4 complete minutes, not 40 / 15
  });
});

describe("latency: how long the job next in line has waited", () => {
  it("counts from when a job was added, and is null when nothing waits", async () => {
    q = testQueue();
    expect(await oldestWaitingAge(client, q.name, Date.now(), { prefix: q.ctx.settings.prefix })).toBeNull();
    await q.add({});
    const ct = Number(await client.hget(q.ctx.keys.job("1"), "ct"));
    expect(await oldestWaitingAge(client, q.name, ct + 5_000, { prefix: q.ctx.settings.prefix })).toBe(5_000);
  });

  it("a delayed job or a retry counts from when it fell due, not from when it was added", async () => {
    q = testQueue();
    const [{ id }] = await q.addBatch([
      { data: {}, opts: { delayMs: 1, backoff: { type: "fixed" as const, baseMs: 50 } } },
    ]);
    await sleep(5);
    await runScript(q.ctx.client, "promote", promoteKeys(q.ctx.keys), [10]);
    const [ct, rt] = (await client.hmget(q.ctx.keys.job(id), "ct", "rt")).map(Number);
    expect(rt).toBe(ct + 1);
    expect(await oldestWaitingAge(client, q.name, rt + 2_000, { prefix: q.ctx.settings.prefix })).toBe(2_000);

    // a failed first attempt with a 50 ms backoff: waiting counts from the retry's due time
    const consumer = q.process(
      (job) => {
        if (job.attempt === 1) throw new Error("first try fails");
      },
      { concurrency: 1, pollMs: 10, promoteIntervalMs: 1_000_000 },
    );
    const retried = await until(async () => (await client.zscore(q!.ctx.keys.retry, id)) ?? null);
    await consumer.close();
    const due = Number(retried);
    expect(Number(await client.hget(q.ctx.keys.job(id), "rt"))).toBe(due);
    await until(
      async () => (await runScript<number>(q!.ctx.client, "promote", promoteKeys(q!.ctx.keys), [10])) === 1,
    );
    expect(await oldestWaitingAge(client, q.name, due + 3_000, { prefix: q.ctx.settings.prefix })).toBe(
      3_000,
    );
  });
});
