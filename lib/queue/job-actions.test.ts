/**
 * The admin's actions on one job: each one script, idempotent, and a job that moved since the
 * list answers CONFLICT with where it is now; an id no state has, NOT_FOUND.
 */
import { describe, expect, it } from "vitest";
import { leaseJobs, privatePrefix, queuesUnder, until } from "../../test/harness/fixtures.ts";
import type { Queue } from "./index.ts";
import { jobAction } from "./job-actions.ts";
import { getJob } from "./job-view.ts";

const queue = queuesUnder(privatePrefix("jobact"));

const act = (q: Queue, id: string, action: "promote" | "delete" | "reclaim" | "requeue") =>
  jobAction(q.ctx.client, q.ctx.settings, q.name, id, action, "admin@example.com");

describe("promote", () => {
  it("runs a delayed job now, at the front of the line; again changes nothing", async () => {
    const q = queue();
    await q.add({}, { jobId: "first" });
    await q.add({}, { jobId: "later", delayMs: 600_000 });
    expect(await act(q, "later", "promote")).toMatchObject({ changed: true, state: "waiting" });
    expect(await q.ctx.client.lrange(q.ctx.keys.ready, 0, -1)).toEqual(["first", "later"]); // tail = next
    expect(await act(q, "later", "promote")).toMatchObject({ changed: false, state: "waiting" });
  });

  it("answers CONFLICT with the current state for a job that moved, NOT_FOUND for an unknown id", async () => {
    const q = queue();
    await q.add({}, { jobId: "busy" });
    await leaseJobs(q, "c1", 1);
    await expect(act(q, "busy", "promote")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { state: "active" },
    });
    await expect(act(q, "ghost", "promote")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("delete", () => {
  it("removes a waiting or a scheduled job with its data; a second delete is NOT_FOUND", async () => {
    const q = queue();
    await q.add({}, { jobId: "w" });
    await q.add({}, { jobId: "keep" });
    await q.add({}, { jobId: "s", delayMs: 600_000 });
    expect(await act(q, "w", "delete")).toMatchObject({ changed: true, state: "deleted" });
    expect(await act(q, "s", "delete")).toMatchObject({ changed: true, state: "deleted" });
    expect(await q.ctx.client.lrange(q.ctx.keys.ready, 0, -1)).toEqual(["keep"]);
    expect(await q.ctx.client.zcard(q.ctx.keys.retry)).toBe(0);
    expect(await q.ctx.client.exists(q.ctx.keys.job("w"), q.ctx.keys.job("s"))).toBe(0);
    await expect(act(q, "w", "delete")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses an active job (CONFLICT, state active) and changes nothing", async () => {
    const q = queue();
    await q.add({}, { jobId: "a" });
    await leaseJobs(q, "c1", 1);
    await expect(act(q, "a", "delete")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { state: "active" },
    });
    expect(await q.ctx.client.zscore(q.ctx.keys.active, "a")).not.toBeNull();
  });
});

describe("reclaim", () => {
  it("moves an orphaned active job back to waiting now, the attempt counted; again changes nothing", async () => {
    const q = queue();
    await q.add({}, { jobId: "o", maxAttempts: 3 });
    await leaseJobs(q, "dead-consumer", 1, 1);
    await until(async () => (await getJob(q.ctx.client, q.name, "o"))?.active?.lease === "orphaned");
    expect(await act(q, "o", "reclaim")).toMatchObject({ changed: true, state: "waiting" });
    const job = await getJob(q.ctx.client, q.name, "o");
    expect(job).toMatchObject({ state: "waiting", attempts: 1 });
    expect(job?.errors.at(-1)).toMatchObject({ name: "LeaseExpired", consumer: "dead-consumer" });
    // with the errors, the summary a dead letter's list row reads (docs/storage.md)
    const le = await q.ctx.client.hget(q.ctx.keys.job("o"), "le");
    expect(JSON.parse(le ?? "null")).toEqual({
      n: 1,
      name: "LeaseExpired",
      message: "lease expired before the job finished",
    });
    expect(await act(q, "o", "reclaim")).toMatchObject({ changed: false, state: "waiting" });
  });

  it("refuses a lease whose consumer still beats", async () => {
    const q = queue();
    await q.add({}, { jobId: "live" });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const c = q.process(() => held, { leaseMs: 300 });
    await until(async () => (await getJob(q.ctx.client, q.name, "live"))?.active?.consumer.lastBeatAt);
    await expect(act(q, "live", "reclaim")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { state: "active" },
    });
    release();
    await c.close();
  });
});

describe("requeue", () => {
  it("runs a completed job again with its payload when the record kept it; again changes nothing", async () => {
    const q = queue({ COMPLETED_KEEP_PAYLOAD: "true" });
    await q.add({ n: 7 }, { jobId: "done", metadata: { by: "test" } });
    const c = q.process(async () => {});
    await until(async () => (await getJob(q.ctx.client, q.name, "done"))?.state === "completed");
    await c.close();
    expect(await act(q, "done", "requeue")).toMatchObject({ changed: true, state: "waiting" });
    const job = await getJob(q.ctx.client, q.name, "done");
    expect(job).toMatchObject({ state: "waiting", payload: { n: 7 }, metadata: { by: "test" }, attempts: 0 });
    expect(job?.history).toEqual([expect.objectContaining({ action: "requeued", by: "admin@example.com" })]);
    expect(await q.ctx.client.hexists(q.ctx.keys.done, "done")).toBe(0);
    expect(await act(q, "done", "requeue")).toMatchObject({ changed: false });
  });

  it("says clearly that a completed job without its payload cannot be requeued", async () => {
    const q = queue();
    await q.add({ n: 1 }, { jobId: "bare" });
    const c = q.process(async () => {});
    await until(async () => (await getJob(q.ctx.client, q.name, "bare"))?.state === "completed");
    await c.close();
    await expect(act(q, "bare", "requeue")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { state: "completed" },
      message: expect.stringContaining("COMPLETED_KEEP_PAYLOAD"),
    });
    await expect(act(q, "ghost", "requeue")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
