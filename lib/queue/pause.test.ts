/**
 * Pause and resume on a real Redis with real consumers: after pause no handler starts later than
 * one second after pauseQueue returned (the bound of the feature), adds still succeed, due
 * retries are still promoted into ready; after resume every job completes once, none lost, and
 * the jobs handed back unstarted kept their attempt. Runs on a Cluster too (TEST_REDIS_CLUSTER=1).
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeQueue, sleep, testQueue, until } from "../../test/harness/fixtures.ts";
import { leaseKeys } from "./context.ts";
import type { Queue } from "./index.ts";
import { isPaused, pauseQueue, pauseState, resumeQueue } from "./pause.ts";
import { promoteDue } from "./retry.ts";
import { runScript } from "./scripts.ts";
import { queueSizes } from "./stats.ts";

let q: Queue;
afterEach(() => closeQueue(q));
const sizes = () => queueSizes(q.ctx.client, q.name, { prefix: q.ctx.settings.prefix });
const opts = () => ({ prefix: q.ctx.settings.prefix });

/** The longest a pause may take to stop handlers from starting (the feature's bound). */
const PAUSE_BOUND_MS = 1000;
/** Handlers of the first jobs outlast the bound: a consumer that starts its prefetched jobs when a slot frees would break it. */
const LONG_MS = 1200;
/** Retries fall due well after the pause, so it is the paused queue that promotes them. */
const RETRY_MS = 2500;

interface Start {
  id: string;
  attempt: number;
  at: number;
}

describe("pause and resume", () => {
  it("with consumers running: nothing starts after pause, adds and promotion go on, resume finishes every job once", async () => {
    q = testQueue();
    const starts: Start[] = [];
    const completed = new Map<string, number>();
    const handler = async (job: { id: string; attempt: number; data: { ms: number; flaky?: boolean } }) => {
      starts.push({ id: job.id, attempt: job.attempt, at: Date.now() });
      if (job.data.flaky && job.attempt === 1) throw new Error("flaky: first attempt fails");
      await sleep(job.data.ms);
      completed.set(job.id, (completed.get(job.id) ?? 0) + 1);
    };
    const retry = { maxAttempts: 3, backoff: { type: "fixed" as const, baseMs: RETRY_MS } };
    const flaky = ["flaky-1", "flaky-2"];
    await q.addBatch(flaky.map((jobId) => ({ data: { ms: 10, flaky: true }, opts: { jobId, ...retry } })));
    const first = Array.from({ length: 30 }, (_, i) => `long-${i}`);
    await q.addBatch(first.map((jobId) => ({ data: { ms: LONG_MS }, opts: { jobId } })));
    // three consumers, concurrency 3, prefetch 3 each (the default: as many as concurrency)
    for (let i = 0; i < 3; i++) q.process(handler, { concurrency: 3, onError: () => {} });

    // every slot busy with a long job, and the flaky jobs waiting to retry
    await until(
      async () => starts.length >= 9 + flaky.length && (await sizes()).retry === flaky.length,
      15_000,
    );
    await pauseQueue(q.ctx.client, q.name, opts());
    const pausedAt = Date.now();
    expect(await isPaused(q.ctx.client, q.name, opts())).toBe(true);

    // adds succeed while paused; a delayed job too
    const during = Array.from({ length: 10 }, (_, i) => `during-${i}`);
    const added = await q.addBatch(during.map((jobId) => ({ data: { ms: 10 }, opts: { jobId } })));
    expect(added.every((a) => a.added)).toBe(true);
    await q.add({ ms: 10 }, { jobId: "delayed", delayMs: 300 });

    // the jobs in hand finish (or go back unstarted); then the retries fall due and are promoted into ready
    await until(async () => (await sizes()).active === 0, 15_000, "the jobs in hand to finish");
    await until(
      async () => {
        const s = await sizes();
        return s.retry === 0 && s.active === 0;
      },
      RETRY_MS + 10_000,
      "the retries and the delayed job to be promoted",
    );
    const ready = await q.ctx.client.lrange(q.ctx.keys.ready, 0, -1);
    expect(ready).toEqual(expect.arrayContaining([...flaky, "delayed", ...during]));
    const all = [...flaky, ...first, ...during, "delayed"];
    expect((await sizes()).ready + completed.size).toBe(all.length);

    const late = starts.filter((s) => s.at > pausedAt + PAUSE_BOUND_MS);
    expect(late, "handlers started more than a second after the pause").toEqual([]);
    const startedWhilePaused = starts.length;

    await resumeQueue(q.ctx.client, q.name, opts());
    await until(() => completed.size === all.length, 30_000, "every job to complete after resume");
    expect(starts.length).toBeGreaterThan(startedWhilePaused);
    expect([...completed.keys()].sort()).toEqual([...all].sort());
    expect([...completed.values()].every((n) => n === 1)).toBe(true);
    // a job handed back unstarted had its attempt refunded: every job but the flaky ones ran once, as attempt 1
    const steady = starts.filter((s) => !flaky.includes(s.id));
    expect(steady.filter((s) => s.attempt !== 1)).toEqual([]);
    expect(steady).toHaveLength(all.length - flaky.length);
    // the last handler has returned; its acknowledgement reaches Redis a moment later
    await until(async () => (await sizes()).active === 0, 5000, "the last acknowledgement");
    expect(await sizes()).toMatchObject({ ready: 0, active: 0, retry: 0, dead: 0 });
  });

  it("pause and resume are idempotent, and the first pause time is kept", async () => {
    q = testQueue();
    const { client } = q.ctx;
    expect(await pauseState(client, q.name, opts())).toEqual({ paused: false, pausedAt: null });
    expect(await pauseQueue(client, q.name, { ...opts(), now: 1000 })).toEqual({
      paused: true,
      pausedAt: 1000,
      changed: true,
    });
    expect(await pauseQueue(client, q.name, { ...opts(), now: 2000 })).toEqual({
      paused: true,
      pausedAt: 1000,
      changed: false,
    });
    expect(await pauseState(client, q.name, opts())).toEqual({ paused: true, pausedAt: 1000 });
    expect(await resumeQueue(client, q.name, opts())).toEqual({
      paused: false,
      pausedAt: null,
      changed: true,
    });
    expect(await resumeQueue(client, q.name, opts())).toEqual({
      paused: false,
      pausedAt: null,
      changed: false,
    });
    expect(await isPaused(client, q.name, opts())).toBe(false);
  });

  it("a paused queue's lease call leases nothing and says so; the worker's sweep still promotes", async () => {
    q = testQueue();
    const { client, settings } = q.ctx;
    await q.add({}, { jobId: "waiting" });
    await q.add({}, { jobId: "due", delayMs: 20 });
    await pauseQueue(client, q.name, opts());
    await sleep(40);
    expect(await promoteDue(q.ctx)).toEqual({ promoted: 1 });
    const reply = await runScript<(string | number)[]>(client, "lease", leaseKeys(q.ctx.keys), [
      "c1",
      10,
      60_000,
      100,
      settings.dlqRetentionMs,
      settings.dlqMaxEntries,
    ]);
    expect(reply).toEqual([-1, 1]);
    expect(await sizes()).toMatchObject({ ready: 2, active: 0, retry: 0 });

    await resumeQueue(client, q.name, opts());
    const after = await runScript<(string | number)[]>(client, "lease", leaseKeys(q.ctx.keys), [
      "c1",
      10,
      60_000,
      0,
      settings.dlqRetentionMs,
      settings.dlqMaxEntries,
    ]);
    expect(after.slice(0, 2)).toEqual([-1, 0]);
    expect((after.length - 2) / 8).toBe(2);
  });
});
