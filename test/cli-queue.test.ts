/**
 * The CLI's queue and dead-letter commands against real dead letters: jobs fail in a real
 * consumer (lib/queue) on the suite's redis-server, then the real `bin/requeue.mjs` lists,
 * groups, shows, requeues and deletes them, adds jobs and reports stats — with the exit codes
 * for not found (3) and bad arguments (2), and the audit entries its mutations leave.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../lib/auth/audit.ts";
import { createCache } from "../lib/cache/index.ts";
import type { DeadLetterSummary } from "../lib/dlq/index.ts";
import { createQueue, UnrecoverableError } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import type { DeadLetter, ErrorGroup } from "../lib/queue/types.ts";
import { createRedis, type RedisClient } from "../lib/redis/connection.ts";
import { json, runCli } from "./harness/cli.ts";
import { until } from "./harness/fixtures.ts";
import { testConfig } from "./harness/index.ts";

const prefix = `cq${Math.random().toString(36).slice(2, 8)}`;
let config: ReturnType<typeof testConfig>;
let client: RedisClient;
const env = () => ({ REDIS_URL: config.REDIS_URL, REDIS_KEY_PREFIX: prefix });
const cli = (args: string[], input?: string) => runCli(args, { env: env(), input });
const sizes = (queue: string) => queueSizes(client, queue, { prefix });

/** Real failures: 5 invalid documents (unrecoverable), 3 poison documents, 2 audio timeouts. */
beforeAll(async () => {
  config = testConfig({ REDIS_KEY_PREFIX: prefix, RETRY_BACKOFF_BASE_SECONDS: "0.01" });
  client = createRedis(config);
  const docs = createQueue("documents", { client, config });
  const audio = createQueue("audio", { client, config });
  await docs.addBatch([
    ...[1, 2, 3, 4, 5].map((n) => ({ data: { kind: "invalid", n }, opts: { jobId: `doc-${n}` } })),
    ...[6, 7, 8].map((n) => ({ data: { kind: "poison", n }, opts: { jobId: `doc-${n}`, maxAttempts: 2 } })),
  ]);
  await audio.addBatch([1, 2].map((n) => ({ data: { n }, opts: { jobId: `audio-${n}`, maxAttempts: 1 } })));
  docs.process(
    async (job) => {
      const d = job.data as { kind: string; n: number };
      if (d.kind === "invalid") throw new UnrecoverableError(`invalid document ${d.n}: unsupported format`);
      throw new TypeError(`Cannot read properties of undefined (reading 'columns') in document ${d.n}`);
    },
    { concurrency: 4, pollMs: 20 },
  );
  audio.process(
    async (job) => {
      throw new Error(`timeout after 30000ms calling transcription-api for ${job.id}`);
    },
    { pollMs: 20 },
  );
  await until(async () => (await sizes("documents")).dead === 8 && (await sizes("audio")).dead === 2, 15_000);
  await Promise.all([docs.close(), audio.close()]);
});

afterAll(async () => {
  await client?.quit();
});

describe("dlq list, groups, show", () => {
  it("lists every dead letter, filters by queue and text, and pages with a cursor", async () => {
    const all = await cli(["dlq", "list", "--json"]);
    expect(all.code).toBe(0);
    expect(json<{ items: DeadLetterSummary[] }>(all).items).toHaveLength(10);

    const audio = json<{ items: DeadLetterSummary[] }>(
      await cli(["dlq", "list", "--queue", "audio", "--json"]),
    );
    expect(audio.items.map((d) => d.id).sort()).toEqual(["audio-1", "audio-2"]);

    const found = json<{ items: DeadLetterSummary[] }>(
      await cli(["dlq", "list", "--search", "unsupported format", "--json"]),
    );
    expect(found.items).toHaveLength(5);

    const first = json<{ items: DeadLetterSummary[]; nextCursor: string }>(
      await cli(["dlq", "list", "--limit", "3", "--json"]),
    );
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBeTruthy();
    const second = json<{ items: DeadLetterSummary[] }>(
      await cli(["dlq", "list", "--limit", "3", "--cursor", first.nextCursor, "--json"]),
    );
    expect(second.items).toHaveLength(3);
    expect(second.items.map((d) => d.id)).not.toContain(first.items[0].id);

    const human = await cli(["dlq", "list", "--queue", "documents", "--limit", "2"]);
    expect(human.stdout).toMatch(/QUEUE\s+ID\s+TRIES/);
    expect(human.stdout).toContain("next page: requeue dlq list … --cursor");
  });

  it("groups identical failures whatever their numbers", async () => {
    const r = await cli(["dlq", "groups", "--queue", "documents", "--json"]);
    expect(r.code).toBe(0);
    const groups = json<ErrorGroup[]>(r);
    expect(groups.map((g) => [g.name, g.count])).toEqual([
      ["UnrecoverableError", 5],
      ["TypeError", 3],
    ]);
  });

  it("shows one dead letter with its payload and every attempt; an unknown id is exit 3", async () => {
    const r = await cli(["dlq", "show", "documents", "doc-7", "--json"]);
    expect(r.code).toBe(0);
    const d = json<DeadLetter>(r);
    expect(d.payload).toEqual({ kind: "poison", n: 7 });
    expect(d.errors).toHaveLength(2);
    const human = await cli(["dlq", "show", "documents", "doc-7"]);
    expect(human.stdout).toContain("documents / doc-7");
    expect(human.stdout).toContain("TypeError: Cannot read properties of undefined");

    const missing = await cli(["dlq", "show", "documents", "no-such-job"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no dead letter "no-such-job" in queue documents');
  });
});

describe("dlq requeue and delete", () => {
  it("requeues one (a job again, audited); requeueing it again is exit 3", async () => {
    const r = await cli(["dlq", "requeue", "documents", "doc-1"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("requeued documents / doc-1");
    expect(await sizes("documents")).toMatchObject({ dead: 7, ready: 1 });
    const again = await cli(["dlq", "requeue", "documents", "doc-1"]);
    expect(again.code).toBe(3);
    const audit = await listAudit(client, {}, { prefix });
    expect(audit.entries.find((e) => e.action === "dlq.requeue")).toMatchObject({
      target: "documents/doc-1",
      count: 1,
      via: "cli",
    });
  });

  it("requeues an error group; an unknown group is exit 3", async () => {
    const groups = json<ErrorGroup[]>(await cli(["dlq", "groups", "--queue", "documents", "--json"]));
    const poison = groups.find((g) => g.name === "TypeError")!;
    const r = await cli(["dlq", "requeue", "--queue", "documents", "--group", poison.fingerprint, "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ done: 3, missing: 0 });
    expect((await sizes("documents")).dead).toBe(4);
    const unknown = await cli(["dlq", "requeue", "--queue", "documents", "--group", "0000000000000000"]);
    expect(unknown.code).toBe(3);
  });

  it("a canary requeue that fails again stops (exit 1), names the jobs and their errors, and leaves the rest", async () => {
    const reports = createQueue("reports", { client, config });
    await reports.addBatch(
      [1, 2, 3].map((n) => ({ data: { n }, opts: { jobId: `rep-${n}`, maxAttempts: 1 } })),
    );
    const consumer = reports.process(
      async (job) => {
        throw new RangeError(`report ${job.id} has no rows`);
      },
      { pollMs: 20 },
    );
    try {
      await until(async () => (await sizes("reports")).dead === 3, 15_000);
      const r = await cli([
        "dlq",
        "requeue",
        "--all",
        "--queue",
        "reports",
        "--canary",
        "2",
        "--canary-min-success",
        "0.5",
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /canary: 0 of 2 succeeded \(50 % needed\): FAILED, the rest was left in the DLQ/,
      );
      expect(r.stdout).toMatch(/reports \/ rep-\d \(dead\): RangeError: report rep-\d has no rows/);
      expect(r.stdout).toContain("2 requeued");
      const audit = await listAudit(client, {}, { prefix });
      expect(audit.entries.find((e) => e.action === "dlq.requeue")).toMatchObject({
        outcome: "partial",
        detail: "canary fail: 0/2 succeeded",
      });
      // the canary's two fail again and come back; the third was never requeued
      await until(async () => {
        const s = await sizes("reports");
        return s.dead === 3 && s.ready + s.active + s.retry === 0;
      }, 15_000);
    } finally {
      await consumer.close();
    }
    // leave no dead letters for the stats test below
    expect((await cli(["dlq", "delete", "--all", "--queue", "reports", "--yes"])).code).toBe(0);
  });

  it("a bulk delete from a script needs --yes; with it, it deletes and reports", async () => {
    const refused = await cli(["dlq", "delete", "--all", "--queue", "audio"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("this deletes 2 dead letters of audio: add --yes to confirm");
    expect((await sizes("audio")).dead).toBe(2);
    const r = await cli(["dlq", "delete", "--all", "--queue", "audio", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2 deleted");
    expect((await sizes("audio")).dead).toBe(0);
    const one = await cli(["dlq", "delete", "audio", "audio-1"]);
    expect(one.code).toBe(3);
  });

  it("requeues all matching at a rate, with a progress line", async () => {
    const r = await cli(["dlq", "requeue", "--all", "--search", "unsupported", "--rate", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("4 requeued");
    expect(r.stderr).toMatch(/requeued \d+ \/ 4/);
    expect(r.ms).toBeGreaterThan(1000); // 4 entries at 2 per second
    expect((await sizes("documents")).dead).toBe(0);
  });
});

describe("enqueue", () => {
  it("adds a job from the argument, from stdin, with an id (a second add changes nothing) and a delay", async () => {
    const before = await sizes("uploads");
    const a = await cli(["enqueue", "uploads", '{"documentId": 42}', "--json"]);
    expect(a.code).toBe(0);
    expect(json(a)).toMatchObject({ queue: "uploads", added: true });

    const b = await cli(
      ["enqueue", "uploads", "-", "--id", "up-1", "--max-attempts", "5"],
      '{"documentId": 43}\n',
    );
    expect(b.code).toBe(0);
    expect(b.stdout).toContain("added job up-1 to uploads");
    const dup = await cli(["enqueue", "uploads", "{}", "--id", "up-1"]);
    expect(dup.code).toBe(0);
    expect(dup.stdout).toContain("job up-1 already exists in uploads: nothing changed");

    const later = await cli(["enqueue", "uploads", "{}", "--delay", "10m"]);
    expect(later.code).toBe(0);
    const after = await sizes("uploads");
    expect(after.ready - before.ready).toBe(2);
    expect(after.retry - before.retry).toBe(1);
    const job = await client.hgetall(`${prefix}:{uploads}:job:up-1`);
    expect(JSON.parse(job.payload)).toEqual({ documentId: 43 });
  });

  it("refuses an empty stdin and a payload over the size limit (exit 2)", async () => {
    const empty = await cli(["enqueue", "uploads", "-"], "");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no payload on stdin");
    const big = await runCli(["enqueue", "uploads", JSON.stringify({ blob: "x".repeat(2000) })], {
      env: { ...env(), JOB_MAX_PAYLOAD_BYTES: "1000" },
    });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/over the limit of 1000/);
  });
});

describe("stats", () => {
  it("reports queue sizes, the DLQ and cache hit rates", async () => {
    const cache = createCache({ client, config });
    await cache.namespace("document").getOrSet("summary:1", () => "text");
    await cache.namespace("document").getOrSet("summary:1", () => "text");
    await cache.flushStats();
    await cache.close();

    const r = await cli(["stats", "--json"]);
    expect(r.code).toBe(0);
    const s = json<{
      queues: { queue: string; ready: number; dead: number }[];
      dlq: { total: number };
      cache: { hitRate: number; namespaces: { namespace: string; hits: number; misses: number }[] };
    }>(r);
    expect(s.queues.map((q) => q.queue)).toEqual(expect.arrayContaining(["audio", "documents", "uploads"]));
    expect(s.dlq.total).toBe(0);
    expect(s.cache.namespaces.find((n) => n.namespace === "document")).toMatchObject({ hits: 1, misses: 1 });
    expect(s.cache.hitRate).toBe(0.5);

    const human = await cli(["stats"]);
    expect(human.stdout).toMatch(/documents\s+\d+\s+\d+\s+\d+\s+0/);
    expect(human.stdout).toContain("overall hit rate: 50.0%");
    const bad = await cli(["stats", "--window", "forever"]);
    expect(bad.code).toBe(2);
  });
});
