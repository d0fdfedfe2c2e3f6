/** The producer against a real Redis: add, duplicate ids, delay, batches, refused payloads. */
import { afterAll, describe, expect, it } from "vitest";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { globalKeys, minuteOf } from "../redis/keys.ts";
import { createQueue, QueueError } from "./index.ts";
import { listQueues, queueSizes } from "./stats.ts";

const client = testRedis();
afterAll(() => client.quit());
const config = testConfig();
const newQueue = () => createQueue(uniqueName("p"), { client, config });

describe("producer", () => {
  it("adds a job: hash fields, ready list, per-minute counter and the queue registry", async () => {
    const q = newQueue();
    const { id, added } = await q.add({ n: 1 }, { maxAttempts: 5, metadata: { by: "test" } });
    expect(added).toBe(true);
    expect(id).toMatch(/^\d+$/);
    const hash = await client.hgetall(q.ctx.keys.job(id));
    expect(JSON.parse(hash.payload)).toEqual({ n: 1 });
    expect(JSON.parse(hash.meta)).toEqual({ by: "test" });
    expect(hash.attempts).toBe("0");
    expect(hash.max).toBe("5");
    expect(Number(hash.bb)).toBe(config.RETRY_BACKOFF_BASE_SECONDS * 1000);
    expect(await client.lrange(q.ctx.keys.ready, 0, -1)).toEqual([id]);
    expect(await listQueues(client)).toContain(q.name);
    expect(await client.sismember(globalKeys().queues, q.name)).toBe(1);
    const minute = minuteOf(Date.now());
    const statsKey = (await client.exists(q.ctx.keys.stats(minute)))
      ? q.ctx.keys.stats(minute)
      : q.ctx.keys.stats(minute - 1);
    expect(await client.hget(statsKey, "added")).toBe("1");
    expect(await client.ttl(statsKey)).toBeGreaterThan(7 * 24 * 3600);
  });

  it("adding an existing id changes nothing and says so", async () => {
    const q = newQueue();
    expect(await q.add({ v: 1 }, { jobId: "order-1" })).toEqual({ id: "order-1", added: true });
    expect(await q.add({ v: 2 }, { jobId: "order-1" })).toEqual({ id: "order-1", added: false });
    expect(await client.hget(q.ctx.keys.job("order-1"), "payload")).toBe('{"v":1}');
    expect(await client.llen(q.ctx.keys.ready)).toBe(1);
  });

  it("an id that already completed is also not added again", async () => {
    const q = newQueue();
    await client.zadd(q.ctx.keys.completed, Date.now(), "done-1");
    expect((await q.add({}, { jobId: "done-1" })).added).toBe(false);
    expect(await client.exists(q.ctx.keys.job("done-1"))).toBe(0);
  });

  it("a delayed job waits in the retry set until due", async () => {
    const q = newQueue();
    const before = Date.now();
    const { id } = await q.add({}, { delayMs: 60_000 });
    const due = Number(await client.zscore(q.ctx.keys.retry, id));
    expect(due).toBeGreaterThanOrEqual(before + 59_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(await client.llen(q.ctx.keys.ready)).toBe(0);
  });

  it("adds a batch (chunked in one pipeline) and keeps input order", async () => {
    const q = newQueue();
    const jobs = Array.from({ length: 1200 }, (_, i) => ({ data: { i } }));
    jobs[5] = { data: { i: 5 }, opts: { jobId: "custom-5" } } as (typeof jobs)[number];
    const results = await q.addBatch(jobs);
    expect(results).toHaveLength(1200);
    expect(results[5].id).toBe("custom-5");
    expect(new Set(results.map((r) => r.id)).size).toBe(1200);
    expect((await queueSizes(client, q.name)).ready).toBe(1200);
  });

  it.each([
    ["a BigInt", { big: 1n }, "PAYLOAD_NOT_JSON"],
    ["undefined", undefined, "PAYLOAD_NOT_JSON"],
    ["a function", () => 1, "PAYLOAD_NOT_JSON"],
    [
      "a cycle",
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
      "PAYLOAD_NOT_JSON",
    ],
  ])("refuses %s before writing anything", async (_what, data, code) => {
    const q = newQueue();
    const err = await q.addBatch([{ data: { ok: 1 } }, { data }]).catch((e) => e);
    expect(err).toBeInstanceOf(QueueError);
    expect(err.code).toBe(code);
    expect(await client.exists(q.ctx.keys.ready, q.ctx.keys.seq)).toBe(0);
  });

  it("refuses a payload over JOB_MAX_PAYLOAD_BYTES with its size in the message", async () => {
    const q = createQueue(uniqueName("p"), { client, config: testConfig({ JOB_MAX_PAYLOAD_BYTES: "100" }) });
    const err = await q.add({ text: "x".repeat(200) }).catch((e) => e);
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.message).toMatch(/21\d bytes, over the limit of 100/);
    expect(await client.exists(q.ctx.keys.ready)).toBe(0);
  });

  it("measures the payload limit in UTF-8 bytes, not characters", async () => {
    // {"t":"…"} is 8 bytes around the text; "é" is 2 bytes, "€" 3.
    const q = createQueue(uniqueName("p"), { client, config: testConfig({ JOB_MAX_PAYLOAD_BYTES: "100" }) });
    expect((await q.add({ t: "é".repeat(46) })).added).toBe(true); // 100 bytes, 54 characters
    const err = await q.add({ t: "€".repeat(31) }).catch((e) => e); // 101 bytes, 39 characters
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.message).toMatch(/101 bytes, over the limit of 100/);
  });

  it("a single add that Redis refuses rejects with SCRIPT_FAILED and the queue's name", async () => {
    const q = newQueue();
    await client.set(q.ctx.keys.ready, "not a list"); // the add script's LPUSH/RPUSH then fails
    const err = await q.add({ n: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(QueueError);
    expect(err.code).toBe("SCRIPT_FAILED");
    expect(err.message).toContain(q.name);
  });

  it("refuses bad options: numeric job ids, negative delays, zero attempts", async () => {
    const q = newQueue();
    for (const opts of [{ jobId: "123" }, { delayMs: -1 }, { maxAttempts: 0 }, { jobId: "" }]) {
      const err = await q.add({}, opts).catch((e) => e);
      expect(err.code).toBe("INVALID_OPTION");
    }
  });
});
