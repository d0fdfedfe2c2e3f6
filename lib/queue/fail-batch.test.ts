/**
 * fail-10.lua with several failures in one call, as the consumer batches them: the lease check is
 * one ZMSCORE for the call, active / retry / the DLQ and its group indexes are written once per
 * call (per group), and the result per job is what one call per job gave.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeQueue, leaseJobs, testQueue } from "../../test/harness/fixtures.ts";
import { deadKeys } from "./context.ts";
import type { Queue } from "./index.ts";
import { type Failure, failArgs } from "./outcome.ts";
import { runScript } from "./scripts.ts";
import { queueSizes } from "./stats.ts";

let q: Queue;
afterEach(() => closeQueue(q));

const failure = (id: string, attempt: number, fp: string, message: string): Failure => ({
  id,
  attempt,
  record: JSON.stringify({ attempt, name: "Error", message, at: Date.now(), consumer: "c" }),
  delay: 60_000,
  reason: "failed",
  name: "Error",
  fp,
  group: { name: "Error", message, topFrame: `at ${fp} (x.ts)` },
});

describe("fail-10.lua, a batch of failures", () => {
  it("retries, dead-letters into two groups, refuses a repeat and a stale attempt, in one call", async () => {
    q = testQueue();
    const { client, keys, settings } = q.ctx;
    const retried = await q.add({ n: 0 }, { maxAttempts: 2 });
    const dead = await q.addBatch([1, 2, 3].map((n) => ({ data: { n }, opts: { maxAttempts: 1 } })));
    const leased = await leaseJobs(q, "c", 4);
    expect(leased).toHaveLength(4);
    const attempt = (id: string) => leased.find((j) => j.id === id)!.attempt;
    const [a, b, c] = dead.map((d) => d.id);
    const failures = [
      failure(retried.id, attempt(retried.id), "fp-retry", "retry me"),
      failure(a, attempt(a), "fp-one", "first group"),
      failure(b, attempt(b), "fp-one", "first group"),
      failure(a, attempt(a), "fp-one", "first group"), // the same lease twice in one call
      failure(c, attempt(c) + 1, "fp-two", "stale attempt"), // not this lease's attempt
    ];
    const call = (f: Failure[]) =>
      runScript<number[]>(client, "fail", deadKeys(keys), [
        "c",
        settings.dlqRetentionMs,
        settings.dlqMaxEntries,
        ...failArgs(f),
      ]);
    expect(await call(failures)).toEqual([1, 2, 2, -3, -3]);
    // c's lease is still good: failed now, in a group of its own
    expect(await call([failure(c, attempt(c), "fp-two", "second group")])).toEqual([2]);
    expect(await call([failure(a, attempt(a), "fp-one", "again")])).toEqual([-3]); // left active already

    expect(await queueSizes(client, q.name)).toMatchObject({ active: 0, retry: 1, dead: 3 });
    expect(await client.zscore(keys.retry, retried.id)).not.toBeNull();
    expect((await client.zrange(keys.dead, "0", "-1")).sort()).toEqual([a, b, c].sort());
    expect((await client.zrange(keys.group("fp-one"), "0", "-1")).sort()).toEqual([a, b].sort());
    expect(await client.zrange(keys.group("fp-two"), "0", "-1")).toEqual([c]);
    expect((await client.zrange(keys.groups, "0", "-1")).sort()).toEqual(["fp-one", "fp-two"]);
    expect(await client.hgetall(keys.groupInfo("fp-one"))).toMatchObject({
      name: "Error",
      message: "first group",
      frame: "at fp-one (x.ts)",
    });
    const info = await client.hgetall(keys.groupInfo("fp-two"));
    expect(info.message).toBe("second group");
    expect(Number(info.first)).toBeGreaterThan(0);
    for (const id of [a, b, c]) {
      const h = await client.hgetall(keys.job(id));
      expect(h).toMatchObject({ reason: "failed" });
      expect(h.lease).toBeUndefined();
      expect(JSON.parse(h.errors)).toHaveLength(1); // the repeat in the batch added nothing
    }
    const r = await client.hgetall(keys.job(retried.id));
    expect(r.lease).toBeUndefined();
    expect(r.fp).toBeUndefined();
  });

  it("a batch over the DLQ cap keeps the newest entries and drops as many as it added past it", async () => {
    q = testQueue({ DLQ_MAX_ENTRIES: "2" });
    const { client, keys, settings } = q.ctx;
    const jobs = await q.addBatch([1, 2, 3, 4].map((n) => ({ data: { n }, opts: { maxAttempts: 1 } })));
    const leased = await leaseJobs(q, "c", 4);
    const codes = await runScript<number[]>(client, "fail", deadKeys(keys), [
      "c",
      settings.dlqRetentionMs,
      2,
      ...failArgs(leased.map((j) => failure(j.id, j.attempt, "fp-cap", "capped"))),
    ]);
    expect(codes).toEqual([2, 2, 2, 2]);
    expect(await client.zcard(keys.dead)).toBe(2);
    expect(await client.zcard(keys.group("fp-cap"))).toBe(2);
    const kept = await client.zrange(keys.dead, "0", "-1");
    for (const id of kept) expect(jobs.map((j) => j.id)).toContain(id);
    expect(await client.hget(keys.totals, "droppedCap")).toBe("2");
  });
});
