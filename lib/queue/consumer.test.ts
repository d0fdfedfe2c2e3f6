/** The consumer on a real Redis: lease and ack, retries, dead letters, corrupt data, redaction. */
import { afterEach, describe, expect, it } from "vitest";
import { closeQueue, testQueue, until } from "../../test/harness/fixtures.ts";
import { fingerprint } from "./fingerprint.ts";
import { type Queue, UnrecoverableError } from "./index.ts";
import { queueSeries, queueSizes } from "./stats.ts";
import type { AttemptError } from "./types.ts";

let q: Queue;
afterEach(() => closeQueue(q));
const fast = { backoff: { baseMs: 5 } };
const sizes = () => queueSizes(q.ctx.client, q.name);
const job = (id: string) => q.ctx.client.hgetall(q.ctx.keys.job(id));

describe("consumer", () => {
  it("leases, runs and acknowledges a job: completed set, hash deleted, counters", async () => {
    q = testQueue();
    const { id } = await q.add({ hello: "world" }, { metadata: { by: "t" } });
    const seen: unknown[] = [];
    q.process(async (j) => {
      seen.push([j.id, j.data, j.metadata, j.attempt, j.maxAttempts, j.queue]);
    });
    await until(async () => (await sizes()).completed === 1);
    expect(seen).toEqual([[id, { hello: "world" }, { by: "t" }, 1, 3, q.name]]);
    expect(await q.ctx.client.exists(q.ctx.keys.job(id))).toBe(0);
    expect(await sizes()).toMatchObject({ ready: 0, active: 0, retry: 0, dead: 0 });
    const [row] = (await queueSeries(q.ctx.client, q.name, Date.now() - 60_000, Date.now())).slice(-1);
    expect(row).toMatchObject({ added: 1, completed: 1, failed: 0 });
  });

  it("a failed attempt goes to the retry set, then succeeds: error recorded, retry counters", async () => {
    q = testQueue();
    const { id } = await q.add({}, { ...fast, maxAttempts: 3 });
    let runs = 0;
    q.process(async () => {
      runs++;
      if (runs === 1) throw new TypeError("boom 17");
    });
    await until(async () => (await sizes()).completed === 1);
    expect(runs).toBe(2);
    const rows = await queueSeries(q.ctx.client, q.name, Date.now() - 120_000, Date.now());
    const sum = (f: "failed" | "retried" | "retrySucceeded") => rows.reduce((a, r) => a + r[f], 0);
    expect([sum("failed"), sum("retried"), sum("retrySucceeded")]).toEqual([1, 1, 1]);
    expect(await q.ctx.client.exists(q.ctx.keys.job(id))).toBe(0);
  });

  it("with no attempts left the job becomes a dead letter with every field and its group", async () => {
    q = testQueue();
    const { id } = await q.add({ x: 1 }, { ...fast, maxAttempts: 2, metadata: { by: "t" } });
    q.process(async () => {
      throw new Error(`upstream 503 for request 8f14e45fceea167a`);
    });
    await until(async () => (await sizes()).dead === 1);
    const h = await job(id);
    const errors = JSON.parse(h.errors) as AttemptError[];
    expect(errors.map((e) => e.attempt)).toEqual([1, 2]);
    expect(errors[0]).toMatchObject({ name: "Error", message: "upstream 503 for request 8f14e45fceea167a" });
    expect(errors[0].stack).toMatch(/^at /);
    expect(errors[0].consumer).toMatch(/:\d+:/);
    expect(h.reason).toBe("failed");
    expect(h.attempts).toBe("2");
    expect(Number(h.ff)).toBeLessThanOrEqual(Number(h.lf));
    expect(h.dt).toBe(h.lf);
    expect(h.lease).toBeUndefined();
    expect(h.fp).toBe(
      fingerprint("Error", errors[1].message, `Error: x\n    ${errors[1].stack!.split("\n")[0]}`),
    );
    expect(await q.ctx.client.zscore(q.ctx.keys.groups, h.fp)).toBe(h.dt);
    expect(await q.ctx.client.zrange(q.ctx.keys.group(h.fp), "0", "-1")).toEqual([id]);
    const info = await q.ctx.client.hgetall(q.ctx.keys.groupInfo(h.fp));
    expect(info).toMatchObject({
      name: "Error",
      message: "upstream <n> for request <hex>",
      first: h.dt,
      last: h.dt,
    });
    expect(info.frame).toContain("consumer.test.ts");
  });

  it("identical failures of different jobs share one group; the message's ids do not split it", async () => {
    q = testQueue();
    await q.addBatch([1, 2, 3].map((n) => ({ data: { n }, opts: { maxAttempts: 1 } })));
    q.process(async (j) => {
      throw new Error(`user ${(j.data as { n: number }).n}0${j.id} not found`);
    });
    await until(async () => (await sizes()).dead === 3);
    expect(await q.ctx.client.zcard(q.ctx.keys.groups)).toBe(1);
  });

  it("an UnrecoverableError skips the retries", async () => {
    q = testQueue();
    const { id } = await q.add({}, { maxAttempts: 5 });
    let runs = 0;
    q.process(async () => {
      runs++;
      throw new UnrecoverableError("bad input");
    });
    await until(async () => (await sizes()).dead === 1);
    expect(runs).toBe(1);
    expect((await job(id)).reason).toBe("unrecoverable");
  });

  it("redacts secrets in the message and the stack when the failure is recorded", async () => {
    q = testQueue();
    const { id } = await q.add({}, { maxAttempts: 1 });
    q.process(async () => {
      throw new Error(
        "connect postgres://app:hunter2@db:5432 failed, Authorization: Bearer abcdef0123456789xyz",
      );
    });
    await until(async () => (await sizes()).dead === 1);
    const h = await job(id);
    expect(h.errors).not.toContain("hunter2");
    expect(h.errors).not.toContain("abcdef0123456789xyz");
    expect(h.errors).toContain("[REDACTED]");
  });

  it("cuts long messages to ERROR_MESSAGE_MAX_LENGTH", async () => {
    q = testQueue({ ERROR_MESSAGE_MAX_LENGTH: "100" });
    const { id } = await q.add({}, { maxAttempts: 1 });
    q.process(async () => {
      throw new Error("y".repeat(5000));
    });
    await until(async () => (await sizes()).dead === 1);
    const [e] = JSON.parse((await job(id)).errors) as AttemptError[];
    expect(e.message.length).toBe(100);
  });

  it("corrupt job data goes to the DLQ as corrupt; the consumer neither crashes nor spins", async () => {
    q = testQueue();
    const k = q.ctx.keys;
    await q.ctx.client.hset(k.job("bad-json"), {
      payload: "{not json",
      attempts: "0",
      max: "3",
      bb: "5",
      bm: "5",
    });
    await q.ctx.client.hset(k.job("bad-attempts"), { payload: "{}", attempts: "many", max: "3" });
    await q.ctx.client.set(k.job("a-string"), "raw text");
    await q.ctx.client.lpush(k.ready, "bad-json", "missing-hash", "bad-attempts", "a-string");
    await q.add({ good: true });
    let goodRuns = 0;
    q.process(async () => {
      goodRuns++;
    });
    await until(async () => (await sizes()).completed === 1 && (await sizes()).dead === 4);
    expect(goodRuns).toBe(1);
    for (const id of ["bad-json", "missing-hash", "bad-attempts", "a-string"]) {
      const h = await job(id);
      expect(h.reason, id).toBe("corrupt");
      expect(JSON.parse(h.errors)[0].name).toBe("CorruptJob");
      expect(JSON.parse(h.le), id).toMatchObject({ n: 1, name: "CorruptJob" }); // the list row's summary
    }
    expect((await job("a-string")).payload).toBe("raw text");
    expect(await sizes()).toMatchObject({ ready: 0, active: 0, retry: 0 });
  });

  it("a job requeued the way lib/dlq does it is processed normally", async () => {
    q = testQueue();
    const { id } = await q.add({ v: 1 }, { maxAttempts: 1 });
    let fail = true;
    const c = q.process(async () => {
      if (fail) throw new Error("first time");
    });
    await until(async () => (await sizes()).dead === 1);
    const k = q.ctx.keys;
    const fp = (await job(id)).fp;
    fail = false;
    await q.ctx.client
      .multi()
      .zrem(k.dead, id)
      .zrem(k.group(fp), id)
      .hset(k.job(id), "attempts", "0", "hist", JSON.stringify([{ at: Date.now(), action: "requeued" }]))
      .lpush(k.ready, id)
      .exec();
    await until(async () => (await sizes()).completed === 1);
    expect(c.counters.completed).toBe(1);
    expect(await sizes()).toMatchObject({ dead: 0, ready: 0, active: 0 });
  });
});
