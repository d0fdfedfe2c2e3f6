/**
 * Secrets never reach storage: a corpus of secret shapes (test/reliability/secret-corpus.ts) is
 * put into error messages, stack frames and payload fields of jobs that really fail through
 * lib/queue on the suite's Redis. What the dead letter stores (the job hash, its error group,
 * getDeadLetter's answer), the Prometheus text and whatever the process logged must not contain
 * any of them. The payload itself is stored as given (a requeue needs it), so only what is
 * derived from it (an error message quoting it) is checked.
 *
 * Shapes redact.ts does not cover yet would be `it.todo` (docs/RELIABILITY.md, "Known gaps").
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { getDeadLetter } from "../lib/dlq/index.ts";
import { renderPrometheus } from "../lib/metrics/prometheus.ts";
import { collectSnapshot } from "../lib/metrics/snapshot.ts";
import { createQueue } from "../lib/queue/index.ts";
import { REDACTED, redact } from "../lib/queue/redact.ts";
import { until } from "./harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "./harness/index.ts";
import { ALL_REDACTED, KNOWN_GAPS, type SecretShape } from "./reliability/secret-corpus.ts";

const client = testRedis();
afterAll(() => client.quit());

type Where = "message" | "stack" | "payload";
const PLACES: Where[] = ["message", "stack", "payload"];

interface Case {
  shape: SecretShape;
  where: Where;
}

/** The error a handler throws for one case. */
function errorFor(c: Case, payload: unknown): Error {
  if (c.where === "message") return new Error(`upstream call failed: ${c.shape.text}`);
  if (c.where === "payload") return new Error(`cannot process ${JSON.stringify(payload)}`);
  const err = new Error("connection failed");
  err.stack = [
    "Error: connection failed",
    `    at connect (${c.shape.text.split("\n").join(" ")})`,
    "    at handler (/app/worker.js:10:5)",
  ].join("\n");
  return err;
}

describe("redaction corpus", () => {
  it.each(ALL_REDACTED.map((s) => [s.name, s] as const))("redact() removes: %s", (_name, shape) => {
    const out = redact(shape.text);
    expect(out).not.toContain(shape.secret);
    expect(out).toContain(REDACTED);
  });

  it.each([
    "ECONNREFUSED 127.0.0.1:6379",
    "at authenticate (/app/auth.js:10:5)",
    "at Object.<anonymous> (/app/token-store.js:1:1)",
    "upstream auth.example.com:443 refused",
    "job status: failed",
    "cookie consent banner missing",
    "the token bucket is empty",
    "sk-12 is not a size",
    "Timeout talking to converter after 3000 ms",
  ])("leaves ordinary text alone: %s", (text) => {
    expect(redact(text)).toBe(text);
  });

  it("no secret of the corpus is stored in a dead letter, the metrics or the logs", async () => {
    const logged: string[] = [];
    const capture = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    const spies = [
      vi.spyOn(console, "log").mockImplementation(capture),
      vi.spyOn(console, "error").mockImplementation(capture),
      vi.spyOn(console, "warn").mockImplementation(capture),
    ];
    const config = testConfig();
    const queue = createQueue(uniqueName("secrets"), { client, config });
    const cases: Case[] = ALL_REDACTED.flatMap((shape) => PLACES.map((where) => ({ shape, where })));
    try {
      const added = await queue.addBatch(
        cases.map((c, i) => ({
          data: { i, where: c.where, ...(c.where === "payload" ? { credentials: c.shape.text } : {}) },
          opts: { maxAttempts: 1, metadata: { test: "redaction" } },
        })),
      );
      const ids = added.map((a) => a.id);
      const consumer = queue.process<{ i: number }>(
        (job) => {
          throw errorFor(cases[job.data.i], job.data);
        },
        { concurrency: 20, pollMs: 10 },
      );
      await until(
        async () => (await client.zcard(queue.ctx.keys.dead)) === cases.length,
        15_000,
        "every job dead",
      );
      await consumer.close(2000);

      // Everything stored about each dead letter (except the payload itself) and its error group.
      const stored: string[] = [];
      for (const [i, id] of ids.entries()) {
        const { payload, ...rest } = await client.hgetall(queue.ctx.keys.job(id));
        expect(JSON.parse(payload).i).toBe(i);
        const { payload: _p, ...letter } = await getDeadLetter(client, queue.name, id);
        const group = await client.hgetall(queue.ctx.keys.groupInfo(letter.fingerprint));
        stored.push(JSON.stringify([rest, letter, group]));
      }
      const metrics = (await renderPrometheus(await collectSnapshot(client, config))).body;
      expect(metrics).toContain("requeue_queue_jobs");

      const leaks = cases
        .filter(({ shape }, i) => [stored[i], metrics, ...logged].some((text) => text.includes(shape.secret)))
        .map((c) => `${c.shape.name} (${c.where})`);
      expect(leaks).toEqual([]);
      // The errors were recorded, redacted rather than dropped.
      expect(stored.every((text) => text.includes(REDACTED))).toBe(true);
    } finally {
      for (const s of spies) s.mockRestore();
      await queue.close(2000);
    }
  });

  for (const gap of KNOWN_GAPS) it.todo(`redact() should remove: ${gap.name} (known gap)`);
});
