/** Requeue and delete by id: atomic, idempotent, validated, against a real redis-server. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { privatePrefix } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import { GROUP_INFO_FIELDS, JOB_FIELDS } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { minuteOf, queueKeys } from "../redis/keys.ts";
import { listDeadLetters } from "./list.ts";
import { deleteDeadLetter, deleteDeadLetters, requeueDeadLetter, requeueDeadLetters } from "./mutate.ts";
import { getDeadLetter, listGroups } from "./read.ts";

privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

/** A counter of this minute and the one before (a test may straddle a minute boundary). */
async function statsNow(queue: string, field: string) {
  const m = minuteOf(Date.now());
  const k = queueKeys(queue);
  const [a, b] = await Promise.all([redis.hget(k.stats(m), field), redis.hget(k.stats(m - 1), field)]);
  return Number(a ?? 0) + Number(b ?? 0);
}

describe("requeue", () => {
  it("moves one dead letter to ready with a fresh attempt budget, history and stats", async () => {
    const q = uniqueName("q");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [
      { id: "a", fingerprint: "solo", attempts: 3 },
      { id: "b", fingerprint: "pair" },
      { id: "c", fingerprint: "pair" },
    ]);
    await requeueDeadLetter(redis, q, "a", { by: "alice" });
    expect(await redis.zscore(k.dead, "a")).toBeNull();
    expect(await redis.lrange(k.ready, 0, -1)).toEqual(["a"]);
    const job = await redis.hgetall(k.job("a"));
    expect(job[JOB_FIELDS.attempts]).toBe("0");
    expect(job[JOB_FIELDS.deadAt]).toBeUndefined();
    expect(JSON.parse(job[JOB_FIELDS.history])).toEqual([
      expect.objectContaining({ action: "requeued", by: "alice" }),
    ]);
    expect(JSON.parse(job[JOB_FIELDS.errors])).toHaveLength(3); // the failures stay readable
    // its group emptied: gone from groups, with its info
    expect(await redis.zscore(k.groups, "solo")).toBeNull();
    expect(await redis.exists(k.groupInfo("solo"))).toBe(0);
    expect(await redis.zcard(k.group("pair"))).toBe(2);
    expect(await statsNow(q, "requeued")).toBe(1);

    await requeueDeadLetter(redis, q, "b");
    expect(await redis.hget(k.groupInfo("pair"), GROUP_INFO_FIELDS.name)).toBe("Error");
    expect((await listGroups(redis, q)).map((g) => [g.fingerprint, g.count])).toEqual([["pair", 1]]);
  });

  it("says NOT_FOUND for a missing entry, and a second requeue makes no second job", async () => {
    const q = uniqueName("q");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [{ id: "x" }]);
    await expect(requeueDeadLetter(redis, q, "nope")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining('"nope"'),
    });
    await requeueDeadLetter(redis, q, "x");
    await expect(requeueDeadLetter(redis, q, "x")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await requeueDeadLetters(redis, q, ["x", "x"])).toEqual({ done: 0, gone: 1 });
    expect(await redis.lrange(k.ready, 0, -1)).toEqual(["x"]);
    expect(await statsNow(q, "requeued")).toBe(1);
  });

  it("requeues a list, reporting the ones already gone", async () => {
    const q = uniqueName("q");
    const ids = await seedDeadLetters(
      redis,
      q,
      Array.from({ length: 1203 }, () => ({})),
    );
    await requeueDeadLetter(redis, q, ids[7]);
    const r = await requeueDeadLetters(redis, q, [...ids, "missing"]);
    expect(r).toEqual({ done: 1202, gone: 2 });
    expect(await redis.llen(queueKeys(q).ready)).toBe(1203);
    expect(await redis.zcard(queueKeys(q).dead)).toBe(0);
  });

  it("replaces the payload with an edit and keeps the original in the history", async () => {
    const q = uniqueName("q");
    await seedDeadLetters(redis, q, [{ id: "e", payload: { url: "http://bad" } }]);
    await requeueDeadLetter(redis, q, "e", { payload: '{"url":"http://good"}', by: "bob" });
    const h = await redis.hgetall(queueKeys(q).job("e"));
    expect(JSON.parse(h[JOB_FIELDS.payload])).toEqual({ url: "http://good" });
    const hist = JSON.parse(h[JOB_FIELDS.history]);
    expect(hist.map((x: { action: string }) => x.action)).toEqual(["payload-edited", "requeued"]);
    expect(JSON.parse(hist[0].originalPayload)).toEqual({ url: "http://bad" });
  });

  it("refuses an edited payload that is not JSON or too large, and changes nothing", async () => {
    const q = uniqueName("q");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [{ id: "e", payload: { v: 1 } }]);
    const before = await redis.hgetall(k.job("e"));
    for (const payload of ["{not json", "", "x".repeat(600 * 1024)]) {
      await expect(requeueDeadLetter(redis, q, "e", { payload })).rejects.toMatchObject({
        code: "INVALID_INPUT",
      });
    }
    expect(await redis.hgetall(k.job("e"))).toEqual(before);
    expect(await redis.zscore(k.dead, "e")).not.toBeNull();
    expect(await redis.llen(k.ready)).toBe(0);
    expect((await getDeadLetter(redis, q, "e")).payload).toEqual({ v: 1 });
  });

  it("delays into the retry set", async () => {
    const q = uniqueName("q");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [{ id: "d" }]);
    const before = Date.now();
    await requeueDeadLetter(redis, q, "d", { delayMs: 60_000 });
    const due = Number(await redis.zscore(k.retry, "d"));
    expect(due).toBeGreaterThanOrEqual(before + 60_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await redis.llen(k.ready)).toBe(0);
  });

  it("refuses invalid ids and queue names", async () => {
    await expect(requeueDeadLetter(redis, "bad*q", "a")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(requeueDeadLetter(redis, "q", "")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(requeueDeadLetters(redis, "q", [])).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

it("skips an index entry whose job hash is gone: not listed, requeue says gone", async () => {
  const q = uniqueName("q");
  const k = queueKeys(q);
  await seedDeadLetters(redis, q, [
    { id: "a", deadAt: 20 },
    { id: "orphan", deadAt: 10 },
  ]);
  await redis.del(k.job("orphan"));
  expect((await listDeadLetters(redis, { queue: q })).items.map((d) => d.id)).toEqual(["a"]);
  expect((await listDeadLetters(redis, { queue: q, search: "failed" })).items.map((d) => d.id)).toEqual([
    "a",
  ]);
  expect(await requeueDeadLetters(redis, q, ["orphan"])).toEqual({ done: 0, gone: 1 });
  expect(await redis.zscore(k.dead, "orphan")).toBeNull(); // the dangling index entry is cleaned up
  expect(await redis.llen(k.ready)).toBe(0);
});

describe("delete", () => {
  it("deletes the job and its index entries, counts it, and says NOT_FOUND after", async () => {
    const q = uniqueName("q");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [
      { id: "a", fingerprint: "g" },
      { id: "b", fingerprint: "g" },
    ]);
    await deleteDeadLetter(redis, q, "a");
    expect(await redis.exists(k.job("a"))).toBe(0);
    expect(await redis.zrange(k.dead, "0", "-1")).toEqual(["b"]);
    expect(await redis.zrange(k.group("g"), "0", "-1")).toEqual(["b"]);
    await expect(deleteDeadLetter(redis, q, "a")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await deleteDeadLetters(redis, q, ["a", "b"])).toEqual({ done: 1, gone: 1 });
    expect(await redis.exists(k.groupInfo("g"))).toBe(0);
    expect(await redis.zcard(k.groups)).toBe(0);
    expect(await statsNow(q, "deleted")).toBe(2);
  });

  it("never deletes a job that was requeued meanwhile", async () => {
    const q = uniqueName("q");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [{ id: "a" }]);
    await requeueDeadLetter(redis, q, "a");
    await expect(deleteDeadLetter(redis, q, "a")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await redis.exists(k.job("a"))).toBe(1);
    expect(await redis.lrange(k.ready, 0, -1)).toEqual(["a"]);
  });
});
