/**
 * A list row shows the newest attempt's error and how many are kept from the job's `le`, which
 * every failure writes with `errors` (includes/errors.lua), not from the errors array with
 * its stacks; on both paths that build rows: positions then rows-2.lua (no text), and page-2.lua's
 * rows (a text search). A dead letter from before those fields lists from its array. The entry
 * itself keeps every attempt's error.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { closeQueue, leaseJobs, privatePrefix, sleep, testQueue } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import { deadKeys } from "../queue/context.ts";
import type { Queue } from "../queue/index.ts";
import { reclaimExpired } from "../queue/maintenance.ts";
import { failArgs, failureOf } from "../queue/outcome.ts";
import { promoteDue } from "../queue/retry.ts";
import { MAX_ERRORS_PER_JOB, runScript } from "../queue/scripts.ts";
import { JOB_FIELDS as F } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { listDeadLetters } from "./list.ts";
import { requeueDeadLetter } from "./mutate.ts";
import { getDeadLetter } from "./read.ts";

const prefix = privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());
const queues: Queue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) await closeQueue(q);
});

/** A queue under this file's key prefix, which lib/dlq reads. */
function queue(): Queue {
  const q = testQueue({ REDIS_KEY_PREFIX: prefix });
  queues.push(q);
  return q;
}

/** id, errorCount and lastError of each row, listed without text and found by `search`. */
async function rowsOf(queue: string, search: string) {
  const pick = (p: Awaited<ReturnType<typeof listDeadLetters>>) =>
    p.items.map((r) => [r.id, r.errorCount, r.lastError]);
  const [plain, found] = await Promise.all([
    listDeadLetters(redis, { queue }),
    listDeadLetters(redis, { queue, search }),
  ]);
  return { plain: pick(plain), found: pick(found) };
}

/** The job's `le` as stored (parsed; "" or null as they are). */
async function summaryFields(queue: string, id: string) {
  const le = await redis.hget(queueKeys(queue).job(id), F.lastError);
  return le ? JSON.parse(le) : le;
}

/**
 * Leases the next job (a due retry first) as `who` and fails it with `message`, as the consumer
 * does (retry due at once; `dies`: none). The DLQ keeps every entry (seeded ones died in 1970).
 */
async function failNext(q: Queue, who: string, message: string, dies = false) {
  await promoteDue(q.ctx);
  const [job] = await leaseJobs(q, who, 1);
  const f = failureOf({ ...job, backoffBaseMs: 0, backoffMaxMs: 0 }, new Error(message), who, 2000);
  const args = failArgs([dies ? { ...f, delay: -1 } : f]);
  return runScript<number[]>(q.ctx.client, "fail", deadKeys(q.ctx.keys), [who, 0, 0, ...args]);
}

/** Leases the next job (a due retry first) as a consumer that dies; reclaims it once its lease expired. */
async function expireNext(q: Queue) {
  await promoteDue(q.ctx);
  await leaseJobs(q, "gone", 1, 20);
  await sleep(40);
  return reclaimExpired(q.ctx);
}

const LEASE_EXPIRED = { name: "LeaseExpired", message: "lease expired before the job finished" };

describe("list rows", () => {
  it("show the newest of several attempts' errors and their count, from le, on both paths", async () => {
    const q = uniqueName("rows");
    await seedDeadLetters(redis, q, [
      {
        id: "three",
        deadAt: 2000,
        attempts: 3,
        errorName: "TimeoutError",
        messages: ["first try", "second try", "third try"],
      },
      { id: "one", deadAt: 1000, attempts: 1, message: "only try" },
    ]);
    expect(await summaryFields(q, "three")).toEqual({ n: 3, name: "TimeoutError", message: "third try" });
    const want = [
      ["three", 3, { name: "TimeoutError", message: "third try" }],
      ["one", 1, { name: "Error", message: "only try" }],
    ];
    expect(await rowsOf(q, "try")).toEqual({ plain: want, found: want });
    // the detail keeps the whole story
    const d = await getDeadLetter(redis, q, "three");
    expect(d.errors.map((e) => e.message)).toEqual(["first try", "second try", "third try"]);
    expect(d.errors.every((e) => e.stack?.startsWith("TimeoutError: "))).toBe(true);

    // the row does not read the array: another array there changes the detail, not the row
    const other = JSON.stringify([{ attempt: 1, name: "Other", message: "from the array try" }]);
    await redis.hset(queueKeys(q).job("three"), F.errors, other);
    expect((await rowsOf(q, "try")).plain).toEqual(want);
    expect((await getDeadLetter(redis, q, "three")).errors.map((e) => e.name)).toEqual(["Other"]);
  });

  it("count the errors kept and show the last one after more attempts than are kept", async () => {
    const q = uniqueName("rows");
    const attempts = MAX_ERRORS_PER_JOB + 5;
    const messages = Array.from({ length: attempts }, (_, i) => `try ${i + 1}`);
    await seedDeadLetters(redis, q, [{ id: "many", attempts, messages }]);
    expect((await summaryFields(q, "many")).n).toBe(MAX_ERRORS_PER_JOB);
    const want = [["many", MAX_ERRORS_PER_JOB, { name: "Error", message: `try ${attempts}` }]];
    expect(await rowsOf(q, "try")).toEqual({ plain: want, found: want });
    expect((await getDeadLetter(redis, q, "many")).errors).toHaveLength(MAX_ERRORS_PER_JOB);
  });

  it("follow failures and expired leases alike, whichever ends the job", async () => {
    const q = queue();
    const byFail = await q.add({}, { jobId: "by-fail", maxAttempts: 3 });
    expect(await failNext(q, "c1", "first try")).toEqual([1]);
    expect(await expireNext(q)).toEqual({ reclaimed: 1, deadLettered: 0 });
    expect(await summaryFields(q.name, byFail.id)).toEqual({ ...LEASE_EXPIRED, n: 2 });
    expect(await failNext(q, "c2", "third try")).toEqual([2]);

    await q.add({}, { jobId: "by-lease", maxAttempts: 2 });
    expect(await failNext(q, "c3", "first try")).toEqual([1]);
    expect(await expireNext(q)).toEqual({ reclaimed: 0, deadLettered: 1 });

    const want = [
      ["by-lease", 2, LEASE_EXPIRED],
      ["by-fail", 3, { name: "Error", message: "third try" }],
    ];
    expect(await rowsOf(q.name, "try")).toEqual({ plain: want, found: want });
    const d = await getDeadLetter(redis, q.name, "by-lease");
    expect(d.errors.map((e) => [e.attempt, e.name])).toEqual([
      [1, "Error"],
      [2, "LeaseExpired"],
    ]);
  });

  it("show the new last error of a job requeued and dead again, also one from before le", async () => {
    const q = queue();
    await seedDeadLetters(redis, q.name, [
      { id: "fresh", deadAt: 1000, messages: ["a", "b", "c"] },
      { id: "legacy", deadAt: 2000, messages: ["a", "b", "c"] },
    ]);
    await redis.hdel(queueKeys(q.name).job("legacy"), F.lastError);
    for (const id of ["fresh", "legacy"]) {
      await requeueDeadLetter(redis, q.name, id);
      expect(await failNext(q, "c", `${id} after requeue`, true)).toEqual([2]);
      expect(await summaryFields(q.name, id)).toEqual({
        n: 4,
        name: "Error",
        message: `${id} after requeue`,
      });
    }
    const want = [
      ["legacy", 4, { name: "Error", message: "legacy after requeue" }],
      ["fresh", 4, { name: "Error", message: "fresh after requeue" }],
    ];
    expect(await rowsOf(q.name, "after requeue")).toEqual({ plain: want, found: want });
    const d = await getDeadLetter(redis, q.name, "legacy");
    expect(d.errors.map((e) => e.message)).toEqual(["a", "b", "c", "legacy after requeue"]);
  });

  it("list an entry from before le (or whose le is empty) from its errors array", async () => {
    const q = uniqueName("rows");
    const k = queueKeys(q);
    await seedDeadLetters(redis, q, [
      { id: "old", deadAt: 4000, attempts: 2, messages: ["old one", "old two"] },
      { id: "emptied", deadAt: 3000, attempts: 2, messages: ["e one", "e two"] },
      { id: "spaced", deadAt: 2000 },
      { id: "none", deadAt: 1000 },
    ]);
    await redis.hdel(k.job("old"), F.lastError);
    await redis.hset(k.job("emptied"), F.lastError, "");
    // written by another hand: valid JSON, but not '{"attempt":' at each element's start
    const spaced = '[ { "attempt": 1, "name": "OldError", "message": "by hand" } ]';
    await redis.hset(k.job("spaced"), F.errors, spaced);
    await redis.hdel(k.job("spaced"), F.lastError);
    await redis.hdel(k.job("none"), F.errors, F.lastError);
    expect((await rowsOf(q, "-")).plain).toEqual([
      ["old", 2, { name: "Error", message: "old two" }],
      ["emptied", 2, { name: "Error", message: "e two" }],
      ["spaced", 1, { name: "OldError", message: "by hand" }],
      ["none", 0, null],
    ]);
  });

  it("list an error cjson cannot decode (a lone surrogate, a cut emoji) from the array", async () => {
    const q = uniqueName("rows");
    const cut = "cut here \ud83d";
    await seedDeadLetters(redis, q, [{ id: "cut", attempts: 2, messages: ["whole", cut] }]);
    expect(await summaryFields(q, "cut")).toBe("");
    const want = [["cut", 2, { name: "Error", message: cut }]];
    expect(await rowsOf(q, "cut here")).toEqual({ plain: want, found: want });
  });
});
