/**
 * job.progress() and job.log() on a real Redis: written while the handler runs, bounded, redacted,
 * dropped when the writer no longer holds the lease, kept with a dead letter, and deleted with
 * the job hash on every path that deletes it (complete, DLQ delete, DLQ cap, DLQ retention).
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeQueue, privatePrefix, testQueue, until } from "../../test/harness/fixtures.ts";
import { deleteDeadLetter, getDeadLetter, viewDeadLetter } from "../dlq/index.ts";
import type { Queue } from "./index.ts";
import { getJobLogs } from "./logs.ts";
import { cutToBytes, progressJson } from "./reports.ts";
import { runScript } from "./scripts.ts";

const prefix = privatePrefix("reports");
let q: Queue;
afterEach(() => closeQueue(q));
const queue = (env: Record<string, string> = {}) => {
  q = testQueue({ REDIS_KEY_PREFIX: prefix, ...env });
  return q;
};
const logsExist = (id: string) => q.ctx.client.exists(q.ctx.keys.logs(id));
const logsOf = (id: string) => getJobLogs(q.ctx.client, q.name, id).catch(() => null);
const dead = (id: string) => getDeadLetter(q.ctx.client, q.name, id).catch(() => null);
/** until(), for a check that answers null until it finds what it waits for. */
const found = async <T>(check: () => Promise<T | null>, what: string) =>
  (await until(check, 10_000, what)) as T;

/** A handler that logs `lines`, then waits for `go` before ending as `end` says. */
function scripted(lines: (id: string) => string[], end: "ok" | "throw") {
  const go = new Set<string>();
  const handler = async (job: { id: string; log(t: string): void; progress(v: unknown): void }) => {
    for (const l of lines(job.id)) job.log(l);
    job.progress({ step: "last", of: 3 });
    await until(() => go.has(job.id), 20_000, `go for ${job.id}`);
    if (end === "throw") throw new Error(`handler of ${job.id} gave up`);
  };
  return { handler, go };
}

describe("progress and logs from handlers", () => {
  it("are readable while the job runs: bounded to the newest lines, cut to bytes, redacted", async () => {
    queue({ JOB_LOG_MAX_LINES: "5", JOB_LOG_MAX_LINE_BYTES: "64" });
    const { handler, go } = scripted(
      () => [
        ...Array.from({ length: 10 }, (_, i) => `line ${i + 1}`),
        "connecting with password=hunter2 to the mailer",
        `é${"x".repeat(200)}`,
      ],
      "ok",
    );
    q.process(handler as never);
    const { id } = await q.add({});
    const page = await found(async () => {
      const p = await logsOf(id);
      return p && p.total === 12 && p.progress ? p : null;
    }, "12 lines and a progress");
    expect(page.firstKept).toBe(8);
    expect(page.lines.map((l) => l.n)).toEqual([8, 9, 10, 11, 12]);
    expect(page.lines[0]).toMatchObject({ text: "line 8", attempt: 1 });
    expect(page.lines[3].text).toContain("[REDACTED]");
    expect(page.lines[3].text).not.toContain("hunter2");
    expect(Buffer.byteLength(page.lines[4].text)).toBeLessThanOrEqual(64);
    expect(page.lines[4].text.endsWith("…")).toBe(true);
    expect(page.progress).toEqual({ step: "last", of: 3 });
    // paging: a cursor reads on from a line number, `next` waits for new lines
    const second = await getJobLogs(q.ctx.client, q.name, id, { cursor: "10", limit: 2 });
    expect(second.lines.map((l) => l.n)).toEqual([10, 11]);
    expect(second).toMatchObject({ next: "12", more: true });
    const end = await getJobLogs(q.ctx.client, q.name, id, { cursor: page.next });
    expect(end).toMatchObject({ lines: [], more: false, next: "13" });
    go.add(id);
  });

  it("progress is a number from 0 to 100 or a small object (else job.progress throws); cuts keep whole characters", () => {
    expect(() => progressJson(101, 1024)).toThrow(/0 to 100/);
    expect(() => progressJson(Number.NaN, 1024)).toThrow(/0 to 100/);
    expect(() => progressJson([1], 1024)).toThrow(/plain object/);
    expect(() => progressJson({ big: "x".repeat(2000) }, 1024)).toThrow(/over the limit of 1024/);
    expect(progressJson(42.5, 1024)).toBe("42.5");
    expect(cutToBytes("ééé", 5)).toBe("é…");
    expect(cutToBytes("ééé", 4)).toBe("…"); // never half a character
    expect(cutToBytes("ééé", 6)).toBe("ééé");
  });

  it("a consumer that no longer holds the lease writes nothing", async () => {
    queue();
    const { handler, go } = scripted(() => ["mine"], "ok");
    q.process(handler as never);
    const { id } = await q.add({});
    await until(async () => (await logsOf(id))?.total === 1);
    const k = q.ctx.keys;
    const stale = [k.job("")];
    const line = JSON.stringify({ at: 1, attempt: 1, text: "stale" });
    // another consumer, and this consumer's id at an older attempt: both refused
    expect(
      await runScript(q.ctx.client, "report", stale, ["someone-else", 100, id, 1, "7", 0, 1, line]),
    ).toEqual([-3]);
    const lease = await q.ctx.client.hget(k.job(id), "lease");
    expect(await runScript(q.ctx.client, "report", stale, [lease!, 100, id, 0, "7", 0, 1, line])).toEqual([
      -3,
    ]);
    const page = await getJobLogs(q.ctx.client, q.name, id);
    expect(page.lines.map((l) => l.text)).toEqual(["mine"]);
    expect(page.progress).toEqual({ step: "last", of: 3 });
    // the holder itself may write (the refusals above are about the lease, not the script)
    expect(await runScript(q.ctx.client, "report", stale, [lease!, 100, id, 1, "7", 0, 1, line])).toEqual([
      1,
    ]);
    expect((await getJobLogs(q.ctx.client, q.name, id)).progress).toBe(7);
    go.add(id);
  });

  it("are deleted with the job when it completes", async () => {
    queue();
    const { handler, go } = scripted(() => ["working"], "ok");
    q.process(handler as never);
    const { id } = await q.add({});
    await until(async () => (await logsOf(id))?.total === 1);
    expect(await logsExist(id)).toBe(1);
    go.add(id);
    await until(async () => (await q.ctx.client.zscore(q.ctx.keys.completed, id)) !== null);
    expect(await logsExist(id)).toBe(0);
    await expect(getJobLogs(q.ctx.client, q.name, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stay with a dead letter (viewers see them masked like errors), and go when it is deleted", async () => {
    queue();
    const { handler, go } = scripted((id) => [`step 1 of ${id}`, "step 2 for alice@example.com"], "throw");
    q.process(handler as never);
    const { id } = await q.add({ email: "alice@example.com" }, { maxAttempts: 1 });
    go.add(id);
    const letter = await found(() => dead(id), "the dead letter");
    expect(letter.report?.lines.map((l) => l.text)).toEqual([
      `step 1 of ${id}`,
      "step 2 for alice@example.com",
    ]);
    expect(letter.report).toMatchObject({ total: 2, progress: { step: "last", of: 3 } });
    const seen = viewDeadLetter(letter, "viewer");
    expect(seen.report?.lines[1].text).not.toContain("alice@example.com");
    await deleteDeadLetter(q.ctx.client, q.name, id);
    expect(await logsExist(id)).toBe(0);
  });

  it("go with a dead letter dropped by the DLQ cap and by retention", async () => {
    queue({ DLQ_MAX_ENTRIES: "1", DLQ_RETENTION_DAYS: "0.00002" }); // retention 1.7 s
    const { handler, go } = scripted((id) => [`about to fail ${id}`], "throw");
    q.process(handler as never, { concurrency: 3 });
    const first = (await q.add({}, { maxAttempts: 1 })).id;
    go.add(first);
    await until(() => dead(first), 10_000, "the first dead letter");
    expect(await logsExist(first)).toBe(1);
    const second = (await q.add({}, { maxAttempts: 1 })).id;
    go.add(second);
    // the cap of 1 drops the first when the second dies
    await until(
      async () => (await dead(second)) && !(await dead(first)),
      10_000,
      "the cap to drop the first",
    );
    expect(await logsExist(first)).toBe(0);
    expect(await logsExist(second)).toBe(1);
    // past retention, the next dead letter's trim drops the second by age
    const deadAt = Number(await q.ctx.client.zscore(q.ctx.keys.dead, second));
    await until(
      async () => Number((await q.ctx.client.time())[0]) * 1000 > deadAt + 2000,
      10_000,
      "retention",
    );
    const third = (await q.add({}, { maxAttempts: 1 })).id;
    go.add(third);
    await until(
      async () => (await dead(third)) && !(await dead(second)),
      10_000,
      "retention to drop the second",
    );
    expect(await logsExist(second)).toBe(0);
    expect(Number(await q.ctx.client.hget(q.ctx.keys.totals, "droppedAge"))).toBe(1);
  });
});
