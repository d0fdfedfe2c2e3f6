/**
 * Leases over time and the bounded DLQ: expiry and reclaim, lease extension, handler timeout,
 * graceful shutdown, concurrency, retention by age and by cap.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeQueue, sleep, testQueue, until } from "../../test/harness/fixtures.ts";
import { leaseKeys } from "./context.ts";
import { fingerprint } from "./fingerprint.ts";
import type { Queue } from "./index.ts";
import { reclaimExpired, trimDead } from "./maintenance.ts";
import { runScript } from "./scripts.ts";
import { dlqTotals, queueSizes } from "./stats.ts";
import type { AttemptError } from "./types.ts";

let q: Queue;
afterEach(() => closeQueue(q));
const sizes = () => queueSizes(q.ctx.client, q.name);
const job = (id: string) => q.ctx.client.hgetall(q.ctx.keys.job(id));

/** Leases like a consumer that then dies: nobody renews or acknowledges. */
async function leaseAndDie(leaseMs: number, count = 1) {
  const s = q.ctx.settings;
  return runScript<string[]>(q.ctx.client, "lease", leaseKeys(q.ctx.keys), [
    "dead-consumer",
    count,
    leaseMs,
    0,
    s.dlqRetentionMs,
    s.dlqMaxEntries,
  ]);
}

describe("leases", () => {
  it("an expired lease is reclaimed: back to ready, the attempt counts and is recorded", async () => {
    q = testQueue();
    const { id } = await q.add({}, { maxAttempts: 3 });
    await leaseAndDie(500); // long enough that the two reads below run before it expires, even under load
    expect(await sizes()).toMatchObject({ ready: 0, active: 1 });
    expect(await reclaimExpired(q.ctx)).toEqual({ reclaimed: 0, deadLettered: 0 });
    await sleep(550);
    expect(await reclaimExpired(q.ctx)).toEqual({ reclaimed: 1, deadLettered: 0 });
    expect(await sizes()).toMatchObject({ ready: 1, active: 0 });
    const h = await job(id);
    expect(h.attempts).toBe("1");
    const [e] = JSON.parse(h.errors) as AttemptError[];
    expect(e).toMatchObject({ attempt: 1, name: "LeaseExpired", consumer: "dead-consumer" });
  });

  it("an expired lease on the last attempt dead-letters the job with the JS fingerprint", async () => {
    q = testQueue();
    const { id } = await q.add({}, { maxAttempts: 1 });
    await leaseAndDie(10);
    await sleep(30);
    expect(await reclaimExpired(q.ctx)).toEqual({ reclaimed: 0, deadLettered: 1 });
    const h = await job(id);
    expect(h.reason).toBe("failed");
    expect(h.fp).toBe(fingerprint("LeaseExpired", "lease expired before the job finished"));
    expect(await q.ctx.client.hget(q.ctx.keys.groupInfo(h.fp), "name")).toBe("LeaseExpired");
  });

  it("a running handler's lease is extended, so a slow job is not reclaimed", async () => {
    q = testQueue();
    await q.add({});
    let runs = 0;
    q.process(
      async () => {
        runs++;
        await sleep(700);
      },
      { leaseMs: 200 },
    );
    await until(async () => (await sizes()).active === 1);
    for (let i = 0; i < 6; i++) {
      await sleep(100);
      expect((await reclaimExpired(q.ctx)).reclaimed).toBe(0);
    }
    await until(async () => (await sizes()).completed === 1);
    expect(runs).toBe(1);
  });

  it("a handler past its timeout fails with JobTimeoutError and its signal aborts", async () => {
    q = testQueue();
    const { id } = await q.add({}, { maxAttempts: 1 });
    let aborted = false;
    q.process(
      (_job, { signal }) =>
        new Promise(() => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
        }),
      { timeoutMs: 100 },
    );
    await until(async () => (await sizes()).dead === 1);
    expect(JSON.parse((await job(id)).errors)[0].name).toBe("JobTimeoutError");
    expect(aborted).toBe(true);
  });

  it("runs at most `concurrency` handlers at once, and uses them all", async () => {
    q = testQueue();
    await q.addBatch(Array.from({ length: 40 }, (_, i) => ({ data: i })));
    let now = 0;
    let peak = 0;
    q.process(
      async () => {
        now++;
        peak = Math.max(peak, now);
        await sleep(20);
        now--;
      },
      { concurrency: 5 },
    );
    await until(async () => (await sizes()).completed === 40);
    expect(peak).toBe(5);
  });
});

describe("graceful shutdown", () => {
  it("stops taking jobs and lets running handlers finish", async () => {
    q = testQueue();
    await q.addBatch([{ data: 1 }, { data: 2 }, { data: 3 }]);
    const started: unknown[] = [];
    const c = q.process(
      async (j) => {
        started.push(j.data);
        await sleep(150);
      },
      { concurrency: 2 },
    );
    await until(() => started.length === 2);
    await c.close(5000);
    expect(await sizes()).toMatchObject({ completed: 2, ready: 1, active: 0 });
    expect(started).toHaveLength(2);
  });

  it("releases jobs still running at the bound: back to ready, attempt refunded", async () => {
    q = testQueue();
    const { id } = await q.add({});
    let started = false;
    const c = q.process(async () => {
      started = true;
      await new Promise(() => {}); // never ends: close can only return by its bound
    });
    await until(() => started);
    await c.close(100);
    expect(await sizes()).toMatchObject({ ready: 1, active: 0, completed: 0 });
    const h = await job(id);
    expect(h.attempts).toBe("0");
    expect(h.lease).toBeUndefined();
  });
});

describe("prefetch", () => {
  it("holds leased jobs until a slot frees, renews their leases, and releases them on close", async () => {
    q = testQueue();
    await q.addBatch([{ data: 1 }, { data: 2 }, { data: 3 }]);
    const started: unknown[] = [];
    let finish = () => {};
    const running = new Promise<void>((r) => {
      finish = r;
    });
    const c = q.process(
      async (j) => {
        started.push(j.data);
        await running;
      },
      { concurrency: 1, prefetch: 2, leaseMs: 1500 },
    );
    await until(async () => (await sizes()).active === 3);
    const active = await q.ctx.client.zrange(q.ctx.keys.active, "0", "-1", "WITHSCORES");
    const leasedUntil = new Map<string, number>();
    for (let i = 0; i < active.length; i += 2) leasedUntil.set(active[i], Number(active[i + 1]));
    const prefetched: string[] = [];
    for (const id of leasedUntil.keys()) if ((await job(id)).pf === "1") prefetched.push(id);
    expect(prefetched).toHaveLength(2);
    // renewed: each prefetched lease ends later than it did when leased (extend runs every lease/3)
    await until(async () => {
      const ends = await Promise.all(prefetched.map((id) => q.ctx.client.zscore(q.ctx.keys.active, id)));
      return ends.every((end, i) => Number(end) > (leasedUntil.get(prefetched[i]) ?? 0));
    });
    expect((await reclaimExpired(q.ctx)).reclaimed).toBe(0);
    expect(started).toHaveLength(1);
    const closing = c.close(5000); // stops starting jobs, then waits for the running handler
    finish();
    await closing;
    expect(started).toHaveLength(1);
    expect(await sizes()).toMatchObject({ completed: 1, ready: 2, active: 0 });
    const [a, b] = await q.ctx.client.lrange(q.ctx.keys.ready, 0, -1);
    expect([(await job(a)).attempts, (await job(b)).attempts]).toEqual(["0", "0"]);
  });
});

describe("dead-letter retention", () => {
  it("drops dead letters past the retention when the next one is added, and counts them", async () => {
    q = testQueue({ DLQ_RETENTION_DAYS: String(300 / 86_400_000) }); // 300 ms
    const first = await q.add({}, { maxAttempts: 1 });
    q.process(async () => {
      throw new Error("always");
    });
    await until(async () => (await sizes()).dead === 1);
    const fp = (await job(first.id)).fp;
    await sleep(400);
    await q.add({}, { maxAttempts: 1 });
    await until(async () => (await dlqTotals(q.ctx.client, q.name, 0)).dropped === 1);
    expect(await sizes()).toMatchObject({ dead: 1 });
    expect(await q.ctx.client.exists(q.ctx.keys.job(first.id))).toBe(0);
    expect(await q.ctx.client.zscore(q.ctx.keys.group(fp), first.id)).toBeNull();
    expect((await dlqTotals(q.ctx.client, q.name, 0)).droppedAge).toBe(1);
  });

  it("the worker's trim drops expired entries and removes emptied groups", async () => {
    q = testQueue({ DLQ_RETENTION_DAYS: String(200 / 86_400_000) });
    await q.addBatch([1, 2, 3].map((n) => ({ data: n, opts: { maxAttempts: 1 } })));
    q.process(async () => {
      throw new Error("same");
    });
    await until(async () => (await sizes()).dead === 3);
    const [someId] = await q.ctx.client.zrange(q.ctx.keys.dead, "0", "0");
    const fp = (await job(someId)).fp;
    await sleep(250);
    expect(await trimDead(q.ctx)).toEqual({ dropped: 3 });
    expect(await q.ctx.client.zcard(q.ctx.keys.groups)).toBe(0);
    expect(await q.ctx.client.exists(q.ctx.keys.group(fp), q.ctx.keys.groupInfo(fp))).toBe(0);
  });

  it("caps the DLQ at DLQ_MAX_ENTRIES, dropping the oldest, and exposes how near the cap it is", async () => {
    q = testQueue({ DLQ_MAX_ENTRIES: "2" });
    const ids: string[] = [];
    q.process(async () => {
      throw new Error("capped");
    });
    for (let i = 0; i < 3; i++) {
      ids.push((await q.add({ i }, { maxAttempts: 1 })).id);
      await until(
        async () =>
          (await q.ctx.client.zscore(q.ctx.keys.dead, ids[i])) !== null ||
          (await dlqTotals(q.ctx.client, q.name, 2)).dropped > 0,
      );
    }
    await until(async () => (await dlqTotals(q.ctx.client, q.name, 2)).dropped === 1);
    expect(await q.ctx.client.zrange(q.ctx.keys.dead, "0", "-1")).toEqual(ids.slice(1));
    expect(await dlqTotals(q.ctx.client, q.name, 2)).toMatchObject({
      size: 2,
      droppedCap: 1,
      cap: 2,
      nearCap: 1,
    });
  });
});
