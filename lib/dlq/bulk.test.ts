/** Bulk requeue/delete: chunks, progress, rate limit, cancel, concurrency; real redis-server. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { privatePrefix } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys, queueKeys } from "../redis/keys.ts";
import {
  type BulkProgress,
  bulkProgress,
  type Clock,
  cancelBulk,
  listBulkOps,
  purgeQueue,
  runBulk,
  STALLED_AFTER_MS,
  startBulk,
} from "./bulk.ts";
import { countDeadLetters } from "./count.ts";
import { deleteDeadLetters } from "./mutate.ts";
import { BATCH_MAX } from "./scripts.ts";

privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

/** A clock that only moves when slept on; `onSleep` runs at each sleep (between chunks). */
function fakeClock(onSleep: (n: number) => Promise<void> | void = () => {}) {
  let t = 1_000;
  let sleeps = 0;
  const clock: Clock & { slept: number; sleeps: () => number } = {
    slept: 0,
    now: () => t,
    async sleep(ms) {
      t += ms;
      clock.slept += ms;
      await onSleep(++sleeps);
    },
    sleeps: () => sleeps,
  };
  return clock;
}

const seedMany = (q: string, n: number, extra: object = {}) =>
  seedDeadLetters(
    redis,
    q,
    Array.from({ length: n }, (_, i) => ({ id: `j${i}`, deadAt: Date.now() - 10_000 - i, ...extra })),
  );

describe("runBulk", () => {
  it("requeues a group in chunks and reports progress", async () => {
    const q = uniqueName("q");
    await seedMany(q, 1100, { fingerprint: "g1" });
    await seedDeadLetters(redis, q, [{ id: "other", fingerprint: "g2", deadAt: Date.now() - 5000 }]);
    const seen: BulkProgress[] = [];
    const r = await runBulk(
      redis,
      { action: "requeue", scope: { filter: { queue: q, group: "g1" } } },
      { onProgress: (p) => seen.push(p) },
    );
    expect(r).toMatchObject({ state: "done", total: 1100, processed: 1100, done: 1100, gone: 0 });
    const chunks = seen.filter((p, i) => i > 0 && p.processed > seen[i - 1].processed);
    expect(chunks.length).toBe(Math.ceil(1100 / BATCH_MAX));
    expect(chunks.at(-1)!.processed - chunks.at(-2)!.processed).toBe(1100 % BATCH_MAX || BATCH_MAX);
    expect(await redis.llen(queueKeys(q).ready)).toBe(1100);
    expect(await redis.zrange(queueKeys(q).dead, "0", "-1")).toEqual(["other"]);
    expect(await bulkProgress(redis, r.opId)).toEqual(r);
    expect(await listBulkOps(redis)).toContain(r.opId);
    expect(await bulkProgress(redis, "no-such-op")).toBeNull();
    expect(await cancelBulk(redis, "no-such-op")).toBe(false);
  });

  it("honours the rate limit: no chunk over the rate, sleeps that add up to it", async () => {
    const q = uniqueName("q");
    await seedMany(q, 350);
    const clock = fakeClock();
    const deltas: number[] = [];
    let last = 0;
    const r = await runBulk(
      redis,
      { action: "delete", scope: { filter: { queue: q } }, rate: 100 },
      {
        clock,
        onProgress: (p) => {
          if (p.processed > last) deltas.push(p.processed - last);
          last = p.processed;
        },
      },
    );
    expect(r.done).toBe(350);
    expect(deltas).toEqual([100, 100, 100, 50]);
    // 350 entries at 100/s take 3.5 s of (fake) time
    expect(clock.slept).toBe(3500);
  });

  it("stops at cancel between chunks, leaving the rest dead", async () => {
    const q = uniqueName("q");
    await seedMany(q, 400);
    const opId = uniqueName("op");
    const clock = fakeClock(async (n) => {
      if (n === 1) expect(await cancelBulk(redis, opId)).toBe(true);
    });
    const r = await runBulk(
      redis,
      { action: "requeue", scope: { filter: { queue: q } }, rate: 100 },
      { opId, clock },
    );
    expect(r.state).toBe("cancelled");
    expect(r.processed).toBe(200); // the chunk in flight when cancel came finishes
    expect(await redis.zcard(queueKeys(q).dead)).toBe(200);
    expect(await redis.llen(queueKeys(q).ready)).toBe(200);
    expect(await cancelBulk(redis, opId)).toBe(false);
  });

  it("tolerates a delete while a bulk requeue runs: each entry requeued or deleted, once", async () => {
    const q = uniqueName("q");
    const ids = await seedMany(q, 300);
    const k = queueKeys(q);
    const victims = ids.slice(200, 250);
    const clock = fakeClock(async (n) => {
      if (n === 1)
        expect(await deleteDeadLetters(redis, q, [...victims, ids[0]])).toEqual({ done: 50, gone: 1 });
    });
    const r = await runBulk(
      redis,
      { action: "requeue", scope: { filter: { queue: q } }, rate: 100 },
      { clock },
    );
    expect(r).toMatchObject({ state: "done", total: 300, done: 250, gone: 50, processed: 300 });
    const ready = await redis.lrange(k.ready, 0, -1);
    expect(new Set(ready).size).toBe(250);
    for (const v of victims) expect(ready).not.toContain(v);
    expect(await redis.exists(...victims.map((v) => k.job(v)))).toBe(0);
    expect(await redis.zcard(k.dead)).toBe(0);
  });

  it("requeues by list with duplicates and missing ids, and by a text filter across queues", async () => {
    const [a, b] = [uniqueName("qa"), uniqueName("qb")];
    await seedDeadLetters(redis, a, [
      { id: "1", message: "Quota exceeded" },
      { id: "2", message: "timeout" },
    ]);
    await seedDeadLetters(redis, b, [{ id: "3", message: "quota EXCEEDED for user 7" }]);
    const byText = await runBulk(redis, {
      action: "requeue",
      scope: { filter: { search: "quota exceeded" } },
    });
    expect(byText).toMatchObject({ total: 2, done: 2, gone: 0 });
    const byList = await runBulk(redis, {
      action: "requeue",
      scope: { queue: a, ids: ["1", "2", "2", "9"] },
    });
    expect(byList).toMatchObject({ total: 3, done: 1, gone: 2 });
    expect((await redis.lrange(queueKeys(a).ready, 0, -1)).sort()).toEqual(["1", "2"]);
  });

  it("leaves dead letters that arrive after it started", async () => {
    const q = uniqueName("q");
    await seedMany(q, 10);
    await seedDeadLetters(redis, q, [{ id: "later", deadAt: Date.now() + 60_000 }]);
    const r = await purgeQueue(redis, q);
    expect(r).toMatchObject({ done: 10, state: "done" });
    expect(await redis.zrange(queueKeys(q).dead, "0", "-1")).toEqual(["later"]);
  });

  it("refuses an invalid operation before starting anything", async () => {
    const q = uniqueName("q");
    await seedMany(q, 3);
    await expect(
      startBulk(redis, { action: "requeue", scope: { filter: { queue: q } }, payload: "{oops" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      runBulk(redis, { action: "delete", scope: { filter: { queue: q } }, rate: 0 }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await countDeadLetters(redis, { queue: q })).toBe(3);
  });
});

describe("startBulk", () => {
  it("runs in the background; another client polls progress until done", async () => {
    const q = uniqueName("q");
    await seedMany(q, 700, { fingerprint: "g" });
    const poller = testRedis();
    try {
      const opId = await startBulk(redis, {
        action: "requeue",
        scope: { filter: { queue: q, group: "g" } },
        payload: '{"fixed":true}',
        rate: 1000, // two chunks, half a second apart: still running at the first poll
      });
      let p = await bulkProgress(poller, opId);
      expect(p?.state).toBe("running");
      for (let i = 0; i < 200 && p?.state === "running"; i++) {
        await new Promise((r) => setTimeout(r, 10));
        p = await bulkProgress(poller, opId);
      }
      expect(p).toMatchObject({ state: "done", total: 700, done: 700 });
      expect(await redis.hget(queueKeys(q).job("j5"), "payload")).toBe('{"fixed":true}');
    } finally {
      await poller.quit();
    }
  });
});

describe("a bulk operation whose process died", () => {
  let client: RedisClient;
  beforeAll(() => {
    client = testRedis();
  });
  afterAll(async () => {
    await client.quit();
  });

  it("reads as failed (stalled) once it has not reported for a minute, and cannot be cancelled", async () => {
    const opId = uniqueName("op");
    const key = globalKeys().bulk(opId);
    const fields = {
      opId,
      action: "requeue",
      state: "running",
      total: "10",
      processed: "4",
      done: "4",
      gone: "0",
    };
    await client.hset(key, { ...fields, startedAt: 1, updatedAt: 2, beat: Date.now() - 1000 });
    expect((await bulkProgress(client, opId))?.state).toBe("running");

    await client.hset(key, "beat", Date.now() - STALLED_AFTER_MS - 1000);
    const p = await bulkProgress(client, opId);
    expect(p).toMatchObject({ state: "failed", processed: 4 });
    expect(p?.error).toMatch(/stalled/);
    expect(await cancelBulk(client, opId)).toBe(false);
  });
});
