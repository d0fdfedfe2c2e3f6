/**
 * The jobs of each state, a page at a time, and one job wherever it is: against a real
 * redis-server (and a cluster with TEST_REDIS_CLUSTER=1: every call stays on the queue's slot).
 */
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { leaseJobs, privatePrefix, queuesUnder, until } from "../../test/harness/fixtures.ts";
import { MASK } from "../auth/mask.ts";
import { type ActiveRow, listJobs, type ScheduledRow } from "./browse.ts";
import { extendKeys } from "./context.ts";
import { jobAction } from "./job-actions.ts";
import { findJob, getJob, viewJob, viewJobsPage } from "./job-view.ts";
import { CONSUMER_FORGET_MS, pruneConsumers, trimCompleted } from "./maintenance.ts";
import { runScript } from "./scripts.ts";

const queue = queuesUnder(privatePrefix("jobs"));

/** until() for a value: the value, never undefined (until throws when it times out). */
const untilFound = async <T>(check: () => Promise<T | undefined>) => (await until(check)) as T;

const ids = (page: { items: { id: string }[] }) => page.items.map((r) => r.id);

describe("waiting", () => {
  it("pages oldest first with the place in line, and the cursor survives jobs leased meanwhile", async () => {
    const q = queue();
    for (const id of ["a", "b", "c", "d", "e", "f"]) await q.add({ id }, { jobId: id });
    const client = q.ctx.client;
    const p1 = await listJobs(client, q.name, { state: "waiting", limit: 2 });
    expect(ids(p1)).toEqual(["a", "b"]);
    expect(p1.items.map((r) => r.position)).toEqual([0, 1]);
    expect(p1.total).toBe(6);
    expect(p1.items[0].waitedMs).toBeGreaterThanOrEqual(0);
    const p2 = await listJobs(client, q.name, { state: "waiting", limit: 2, cursor: p1.nextCursor ?? "" });
    expect(ids(p2)).toEqual(["c", "d"]);
    // a consumer takes the oldest: the line moves, the next page still starts after "d"
    await leaseJobs(q, "c1", 1);
    const p3 = await listJobs(client, q.name, { state: "waiting", limit: 2, cursor: p2.nextCursor ?? "" });
    expect(ids(p3)).toEqual(["e", "f"]);
    expect(p3.items.map((r) => r.position)).toEqual([3, 4]);
    expect(p3.nextCursor).toBeNull();
    // the cursor's job itself was leased: everything older went too, the page starts at the head
    await leaseJobs(q, "c1", 3);
    const p4 = await listJobs(client, q.name, { state: "waiting", limit: 5, cursor: p2.nextCursor ?? "" });
    expect(ids(p4)).toEqual(["e", "f"]);
    expect(p4.items[0].position).toBe(0);
  });

  it("the cursor survives a job put back at the front of the line (a promote)", async () => {
    const q = queue();
    for (const id of ["a", "b", "c"]) await q.add({ id }, { jobId: id });
    await q.add({ id: "x" }, { jobId: "x", delayMs: 600_000 });
    const client = q.ctx.client;
    const p1 = await listJobs(client, q.name, { state: "waiting", limit: 2 });
    await jobAction(client, q.ctx.settings, q.name, "x", "promote");
    const p2 = await listJobs(client, q.name, { state: "waiting", limit: 2, cursor: p1.nextCursor ?? "" });
    expect(ids(p2)).toEqual(["c"]);
    expect(p2.items[0].position).toBe(3);
  });

  it("refuses a limit over 100 and a cursor it did not make, naming the field", async () => {
    const q = queue();
    await expect(listJobs(q.ctx.client, q.name, { state: "waiting", limit: 101 })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("limit"),
    });
    await expect(
      listJobs(q.ctx.client, q.name, { state: "active", cursor: "not-a-cursor" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("cursor") });
  });
});

describe("active", () => {
  it("shows the consumer holding each lease, its heartbeat, and an orphan with its reclaim time", async () => {
    const q = queue();
    await q.add({ n: 1 }, { jobId: "live" });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const c = q.process(() => held, { leaseMs: 300 });
    const row = await untilFound(async () => {
      const page = await listJobs(q.ctx.client, q.name, { state: "active" });
      const r = page.items[0] as ActiveRow | undefined;
      return r?.consumer.lastBeatAt ? r : undefined;
    });
    expect(row).toMatchObject({
      id: "live",
      consumer: { id: c.id, host: hostname(), pid: process.pid, everyMs: 100 },
      attempt: 1,
      lease: "heartbeating",
      reclaimAt: null,
    });
    expect(row.startedAt).toBeGreaterThan(0);
    release();
    await c.close();

    // a consumer that stopped: its lease runs out and it is marked orphaned, reclaim at the deadline
    await q.add({ n: 2 }, { jobId: "lost" });
    await leaseJobs(q, "gone-consumer", 1, 1);
    const orphan = await untilFound(async () => {
      const page = await listJobs(q.ctx.client, q.name, { state: "active" });
      return (page.items as ActiveRow[]).find((r) => r.id === "lost" && r.lease === "orphaned");
    });
    expect(orphan.reclaimAt).toBe(orphan.leaseExpiresAt);
    expect(orphan.consumer.id).toBe("gone-consumer");
  });
});

describe("consumer heartbeats", () => {
  it("are forgotten by the worker's sweep an hour after the last beat, not before", async () => {
    const q = queue();
    await q.add({}, { jobId: "h" });
    await leaseJobs(q, "beater", 1);
    await runScript(q.ctx.client, "extend", extendKeys(q.ctx.keys), ["beater", 60_000, "100 7 box", "h", 1]);
    expect(await pruneConsumers(q.ctx)).toBe(0);
    expect(await q.ctx.client.hexists(q.ctx.keys.consumers, "beater")).toBe(1);
    expect(await pruneConsumers(q.ctx, Date.now() + CONSUMER_FORGET_MS + 60_000)).toBe(1);
    expect(await q.ctx.client.hexists(q.ctx.keys.consumers, "beater")).toBe(0);
  });
});

describe("scheduled", () => {
  it("tells retries (attempts, last error, next due) from delayed jobs (due)", async () => {
    const q = queue();
    await q.add({ later: true }, { jobId: "delayed", delayMs: 600_000 });
    await q.add({ fail: true }, { jobId: "retry", backoff: { type: "fixed", baseMs: 300_000 } });
    const c = q.process(async () => {
      throw new Error("upstream said no");
    });
    const page = await untilFound(async () => {
      const p = await listJobs(q.ctx.client, q.name, { state: "scheduled" });
      return p.total === 2 ? p : undefined;
    });
    await c.close();
    const [first, second] = page.items as ScheduledRow[];
    expect(first).toMatchObject({ id: "retry", kind: "retry", attempts: 1 });
    expect(first.lastError).toMatchObject({ attempt: 1, message: "upstream said no" });
    expect(second).toMatchObject({ id: "delayed", kind: "delayed", attempts: 0, lastError: null });
    expect(first.dueAt).toBeLessThan(second.dueAt);
    // pages by due time
    const p1 = await listJobs(q.ctx.client, q.name, { state: "scheduled", limit: 1 });
    const p2 = await listJobs(q.ctx.client, q.name, {
      state: "scheduled",
      limit: 1,
      cursor: p1.nextCursor ?? "",
    });
    expect([...ids(p1), ...ids(p2)]).toEqual(["retry", "delayed"]);
  });

  it("masks a viewer's last error where it quotes a masked field", async () => {
    const q = queue();
    await q.add({ email: "ann@example.com" }, { jobId: "m", backoff: { type: "fixed", baseMs: 300_000 } });
    const c = q.process(async () => {
      throw new Error("no mailbox ann@example.com");
    });
    const page = await untilFound(async () => {
      const p = await listJobs(q.ctx.client, q.name, { state: "scheduled" });
      return p.total === 1 ? p : undefined;
    });
    await c.close();
    const viewed = await viewJobsPage(q.ctx.client, page, "viewer");
    const last = (viewed.items[0] as ScheduledRow).lastError;
    expect(last?.message).not.toContain("ann@example.com");
    expect((page.items[0] as ScheduledRow).lastError?.message).toContain("ann@example.com");
  });
});

describe("completed", () => {
  it("keeps a small record (finished, duration, attempts) most recent first, without the payload by default", async () => {
    const q = queue();
    await q.add({ n: 1 }, { jobId: "one" });
    await q.add({ n: 2 }, { jobId: "two" });
    const c = q.process(async () => {});
    const page = await untilFound(async () => {
      const p = await listJobs(q.ctx.client, q.name, { state: "completed" });
      return p.total === 2 ? p : undefined;
    });
    await c.close();
    expect(page.items[0]).toMatchObject({ attempts: 1, payloadKept: false });
    expect(page.items[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(page.items[0].finishedAt).toBeGreaterThanOrEqual(page.items[1].finishedAt);
    const job = await getJob(q.ctx.client, q.name, "one");
    expect(job).toMatchObject({ state: "completed", attempts: 1, payload: undefined });
    expect(job?.completed?.payloadKept).toBe(false);
  });

  it("records are trimmed with the completed set: by the cap on completion and by age in maintenance", async () => {
    const q = queue({ COMPLETED_MAX_ENTRIES: "2", COMPLETED_KEEP_PAYLOAD: "true" });
    for (const id of ["a", "b", "c"]) await q.add({ id }, { jobId: id });
    const c = q.process(async () => {}, { concurrency: 1 });
    await until(async () => (await q.ctx.client.zscore(q.ctx.keys.completed, "c")) !== null);
    await c.close();
    const { client, keys } = q.ctx;
    expect(await client.zcard(keys.completed)).toBe(2);
    expect((await client.hkeys(keys.done)).sort()).toEqual(["b", "c"]);
    const kept = await getJob(client, q.name, "c");
    expect(kept).toMatchObject({ payload: { id: "c" }, completed: { payloadKept: true } });
    // past the retention: the worker's trim drops ids and records together
    const later = Date.now() + 3_600_000 + 1000;
    expect(await trimCompleted(q.ctx, later)).toEqual({ completedTrimmed: 2 });
    expect(await client.hlen(keys.done)).toBe(0);
  });
});

describe("one job", () => {
  it("is found in every state, with what its state adds; null when no state has it", async () => {
    const q = queue();
    const { client } = q.ctx;
    await q.add({ n: 1 }, { jobId: "w1" });
    await q.add({ n: 2 }, { jobId: "w2" });
    await q.add({ n: 3 }, { jobId: "s", delayMs: 600_000 });
    expect(await getJob(client, q.name, "w2")).toMatchObject({
      state: "waiting",
      payload: { n: 2 },
      waiting: { position: 1 },
    });
    expect(await getJob(client, q.name, "s")).toMatchObject({
      state: "scheduled",
      scheduled: { kind: "delayed" },
    });
    await leaseJobs(q, "c9", 1);
    expect(await getJob(client, q.name, "w1")).toMatchObject({
      state: "active",
      attempts: 1,
      active: { consumer: { id: "c9" }, lease: "heartbeating" },
    });
    expect(await getJob(client, q.name, "nope")).toBeNull();
  });

  it("findJob looks in every queue", async () => {
    const a = queue();
    const b = queue();
    await a.add({}, { jobId: "shared-id" });
    await b.add({}, { jobId: "shared-id", delayMs: 600_000 });
    const found = await findJob(a.ctx.client, "shared-id");
    expect(found).toEqual(
      expect.arrayContaining([
        { queue: a.name, state: "waiting" },
        { queue: b.name, state: "scheduled" },
      ]),
    );
    expect(await findJob(a.ctx.client, "no-such-job-anywhere")).toEqual([]);
  });

  it("a viewer sees the payload masked, an admin as stored", async () => {
    const q = queue();
    await q.add({ email: "bob@example.com", n: 1 }, { jobId: "p" });
    const job = await getJob(q.ctx.client, q.name, "p");
    if (!job) throw new Error("job not found");
    expect(viewJob(job, "viewer").payload).toEqual({ email: MASK, n: 1 });
    expect(viewJob(job, "admin").payload).toEqual({ email: "bob@example.com", n: 1 });
  });
});
