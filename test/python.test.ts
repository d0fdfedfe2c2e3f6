/**
 * The Python client (clients/python) against the TypeScript side on the suite's Redis: its own
 * unittests, a TypeScript producer with a Python consumer, the reverse, and a Python failure that
 * becomes an ordinary dead letter, is requeued with lib/dlq and then completes in Python. The
 * Python side runs on Debian's /usr/bin/python3 with python3-redis (scripts/setup.sh); it speaks
 * to one Redis server, so these tests skip on a Cluster.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "../lib/cache/cache.ts";
import { breakerStates, cacheSeries, namespaceSummary } from "../lib/cache/stats.ts";
import { parseConfig } from "../lib/config.ts";
import { getDeadLetter, listDeadLetters, listGroups } from "../lib/dlq/index.ts";
import { requeueDeadLetter } from "../lib/dlq/mutate.ts";
import { createQueue, type Queue } from "../lib/queue/index.ts";
import { reclaimExpired } from "../lib/queue/maintenance.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { JOB_FIELDS } from "../lib/queue/types.ts";
import { createRedis } from "../lib/redis/connection.ts";
import { closeQueue, privatePrefix, testQueue, until } from "./harness/fixtures.ts";
import { isCluster, startRedisServer, testConfig, testRedis, uniqueName } from "./harness/index.ts";

const PYTHON = "/usr/bin/python3";
const CLIENT = join(import.meta.dirname, "..", "clients/python");
const XLANG = join(CLIENT, "tests/xlang.py");
const prefix = privatePrefix("py");
const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  REDIS_URL: testConfig().REDIS_URL,
  REDIS_KEY_PREFIX: prefix,
  RETRY_BACKOFF_BASE_SECONDS: "0",
  ...extra,
});

const children: ChildProcess[] = [];
const queues: Queue[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const q of queues.splice(0)) await closeQueue(q);
});

function queue(): Queue {
  const q = testQueue({ REDIS_KEY_PREFIX: prefix, RETRY_BACKOFF_BASE_SECONDS: "0" });
  queues.push(q);
  return q;
}

/** Starts a Python consumer of `name`; resolves once it runs. */
async function pythonConsumer(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(PYTHON, [XLANG, "consume", name], {
    env: env(extraEnv),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (b) => (out += b));
  child.stderr?.on("data", (b) => (out += b));
  await until(() => out.includes("consuming") || child.exitCode !== null, 20_000, "the Python consumer");
  if (child.exitCode !== null) throw new Error(`python consumer exited: ${out}`);
  return Object.assign(child, { output: () => out });
}

/** SIGTERM, then its exit code (a graceful stop exits 0). */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

const seen = async (q: Queue) =>
  (await q.ctx.client.lrange(`${q.ctx.keys.base}:xlang-seen`, 0, -1)).map((s) => JSON.parse(s));

describe.skipIf(isCluster())("Python client", () => {
  // A bound, not a measure (600 s): the suite starts its own servers (Clusters, Sentinel sets
  // and their failovers, lib/cache through tsx), a minute or more on a loaded machine.
  it("passes its own unittests (shared vectors included)", () => {
    const r = spawnSync(PYTHON, ["-m", "unittest", "discover", "-s", "tests", "-t", "."], {
      cwd: CLIENT,
      env: env(),
      encoding: "utf8",
    });
    expect(r.stderr).toMatch(/\nOK/);
    expect(r.status).toBe(0);
  }, 600_000);

  it("consumes what TypeScript produced: data, metadata, attempt; completes them", async () => {
    const q = queue();
    await q.add({ doc: "a.pdf", pages: [1, 2] }, { jobId: "doc-a", metadata: { by: "ts" } });
    await q.addBatch([{ data: "plain text" }, { data: { ü: "ünïcödé €" } }]);
    const py = await pythonConsumer(q.name);
    await until(async () => (await queueSizes(q.ctx.client, q.name)).completed === 3, 20_000, "3 completed");
    const rows = await seen(q);
    expect(rows).toContainEqual(["doc-a", { doc: "a.pdf", pages: [1, 2] }, { by: "ts" }, 1]);
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(["plain text", { ü: "ünïcödé €" }]));
    expect(await queueSizes(q.ctx.client, q.name)).toMatchObject({ ready: 0, active: 0, dead: 0 });
    expect(await stop(py)).toBe(0);
  });

  it("produces what TypeScript consumes, with the same validation errors", async () => {
    const q = queue();
    const jobs = [
      { data: { n: 1 }, job_id: "py-1", metadata: { by: "python" }, max_attempts: 5 },
      { data: [1, "two", null] },
    ];
    const r = spawnSync(PYTHON, [XLANG, "produce", q.name], {
      env: env(),
      input: JSON.stringify(jobs),
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    const added = JSON.parse(r.stdout) as { id: string; added: boolean }[];
    expect(added[0]).toEqual({ id: "py-1", added: true });
    expect(added[1].id).toMatch(/^\d+$/);
    const got: unknown[] = [];
    q.process(async (j) => {
      got.push([j.id, j.data, j.metadata, j.maxAttempts]);
    });
    await until(() => got.length === 2, 20_000, "2 jobs consumed");
    expect(got).toContainEqual(["py-1", { n: 1 }, { by: "python" }, 5]);
    expect(got).toContainEqual([added[1].id, [1, "two", null], {}, 3]);
    expect(await q.ctx.client.sismember(`${prefix}:queues`, q.name)).toBe(1);

    const bad = spawnSync(PYTHON, [XLANG, "produce", q.name], {
      env: env(),
      input: JSON.stringify([{ data: 1, job_id: "123" }]),
      encoding: "utf8",
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('jobId must not be all digits (got "123"): those are generated ids');
  });

  it("a Python failure is an ordinary dead letter: redacted, Python frames, group; requeued, it completes", async () => {
    const q = queue();
    await q.add({ fail: true }, { jobId: "scan-7", maxAttempts: 2, backoff: { baseMs: 0 } });
    const py = await pythonConsumer(q.name);
    await until(async () => (await queueSizes(q.ctx.client, q.name)).dead === 1, 20_000, "a dead letter");

    const d = await getDeadLetter(q.ctx.client, q.name, "scan-7");
    expect(d.reason).toBe("failed");
    expect(d.errors.map((e) => e.attempt)).toEqual([1, 2]);
    const last = d.errors[1];
    expect(last.name).toBe("RuntimeError");
    expect(last.message).toBe("cannot convert document scan-7: password=[REDACTED] rejected");
    expect(JSON.stringify(d)).not.toContain("hunter2");
    expect(last.stack?.split("\n")[0]).toMatch(/^at convert \(.*xlang\.py:\d+:\d+\)$/);
    expect(last.stack).not.toContain("concurrent");
    expect(last.consumer).toMatch(/:\d+:[0-9a-f]{6}$/);
    // the list row's summary fields, written by the same script for Python as for TypeScript
    const le = await q.ctx.client.hget(q.ctx.keys.job("scan-7"), JOB_FIELDS.lastError);
    expect(JSON.parse(le ?? "null")).toEqual({ n: 2, name: "RuntimeError", message: last.message });
    expect((await listDeadLetters(q.ctx.client, { queue: q.name })).items).toMatchObject([
      { id: "scan-7", errorCount: 2, lastError: { name: "RuntimeError", message: last.message } },
    ]);
    // job.progress and job.log from Python: the latest progress, one line per attempt, redacted
    expect(d.report?.progress).toEqual({ stage: "convert", attempt: 2 });
    expect(d.report?.lines.map((l) => [l.attempt, l.text])).toEqual([
      [1, "converting with password=[REDACTED]"],
      [2, "converting with password=[REDACTED]"],
    ]);
    const groups = await listGroups(q.ctx.client, q.name);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ fingerprint: d.fingerprint, name: "RuntimeError" });
    expect(groups[0].topFrame).toMatch(/^convert \(.*xlang\.py\)$/);

    await requeueDeadLetter(q.ctx.client, q.name, "scan-7", { payload: JSON.stringify({ fixed: true }) });
    await until(async () => (await queueSizes(q.ctx.client, q.name)).completed === 1, 20_000, "completed");
    expect((await seen(q)).at(-1)).toEqual(["scan-7", { fixed: true }, {}, 1]);
    expect(await stop(py)).toBe(0);
  });

  it("UnrecoverableError skips the retries: one attempt, reason unrecoverable", async () => {
    const q = queue();
    await q.add({ unrecoverable: true }, { jobId: "bad-1", maxAttempts: 5 });
    const py = await pythonConsumer(q.name);
    await until(async () => (await queueSizes(q.ctx.client, q.name)).dead === 1, 20_000, "a dead letter");
    const d = await getDeadLetter(q.ctx.client, q.name, "bad-1");
    expect(d.reason).toBe("unrecoverable");
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ name: "UnrecoverableError", message: "bad input for bad-1" });
    expect(await stop(py)).toBe(0);
  });

  it("extends the lease of a long handler with its heartbeat; SIGTERM waits for the handler", async () => {
    const q = queue();
    await q.add({ sleep: 4 }, { jobId: "slow" });
    const py = await pythonConsumer(q.name, { JOB_LEASE_SECONDS: "1" });
    const first = Number(await until(() => q.ctx.client.zscore(q.ctx.keys.active, "slow"), 20_000, "leased"));
    // extended every lease/3: the deadline moves on while the handler sleeps
    await until(
      async () => Number(await q.ctx.client.zscore(q.ctx.keys.active, "slow")) > first,
      20_000,
      "extended",
    );
    const beats = await q.ctx.client.hgetall(q.ctx.keys.consumers);
    expect(Object.values(beats).some((b) => /^\d+ 333 \d+ \S+$/.test(b))).toBe(true);
    const exited = stop(py); // mid-job: the handler finishes, its outcome is sent, then it exits
    expect(await exited).toBe(0);
    expect(await queueSizes(q.ctx.client, q.name)).toMatchObject({
      completed: 1,
      active: 0,
      ready: 0,
      dead: 0,
    });
    expect(await seen(q)).toContainEqual(["woke", "slow"]);
  });

  it("a handler past JOB_TIMEOUT_SECONDS fails with JobTimeoutError", async () => {
    const q = queue();
    await q.add({ sleep: 3 }, { jobId: "late", maxAttempts: 1 });
    const py = await pythonConsumer(q.name, { JOB_TIMEOUT_SECONDS: "0.5" });
    await until(async () => (await queueSizes(q.ctx.client, q.name)).dead === 1, 20_000, "a dead letter");
    const d = await getDeadLetter(q.ctx.client, q.name, "late");
    expect(d.errors[0]).toMatchObject({ name: "JobTimeoutError", message: "handler timed out after 500 ms" });
    expect(await stop(py)).toBe(0);
  });

  it("a Python consumer killed mid-job: its lease expires, the worker's reclaim hands the job to TypeScript", async () => {
    const q = queue();
    await q.add({ sleep: 600 }, { jobId: "orphan", maxAttempts: 3 });
    const py = await pythonConsumer(q.name, { JOB_LEASE_SECONDS: "1" });
    await until(() => q.ctx.client.zscore(q.ctx.keys.active, "orphan"), 20_000, "leased by Python");
    py.kill("SIGKILL");
    // what the worker's sweep runs: once the lease has run out, the job goes back to ready
    await until(async () => ((await reclaimExpired(q.ctx)).reclaimed ?? 0) > 0, 20_000, "reclaimed");
    const got: unknown[] = [];
    q.process(async (j) => {
      got.push([j.id, j.attempt]);
    });
    await until(
      async () => (await queueSizes(q.ctx.client, q.name)).completed === 1,
      20_000,
      "completed by TS",
    );
    expect(got).toEqual([["orphan", 2]]);
  });

  it("rides out a Redis outage: the outcome waits in its outbox, leasing resumes", async () => {
    const server = await startRedisServer({ appendonly: true });
    try {
      const config = parseConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: prefix });
      const q = createQueue("outage", { client: createRedis(config), config });
      queues.push(q);
      await q.add({ sleep: 1, quiet: true }, { jobId: "during" });
      const py = await pythonConsumer(q.name, { REDIS_URL: server.url });
      await until(async () => (await seen(q)).length === 1, 20_000, "the handler to start");
      await server.kill9();
      // the handler ends while Redis is away: its outcome can only be sent after the restart
      await until(() => py.output().includes("woke during"), 20_000, "the handler to end");
      await until(() => py.output().includes("1 outcome(s) waiting"), 20_000, "the outcome to wait");
      await server.restart();
      // on a timeout, say what the Python side printed
      const completed = (n: number, what: string) =>
        until(async () => (await queueSizes(q.ctx.client, q.name)).completed === n, 20_000, what).catch(
          (e) => {
            throw new Error(`${e.message}; the Python consumer printed: ${py.output()}`);
          },
        );
      await completed(1, "the outcome sent after the outage");
      await q.add({}, { jobId: "after" });
      await completed(2, "leasing again");
      const done = await q.ctx.client.hget(q.ctx.keys.done, "during");
      expect(done?.split(":")[2]).toBe("1"); // "now:ran:attempts:created" (includes/completed.lua): attempt 1
      expect(await stop(py)).toBe(0);
    } finally {
      await server.stop();
    }
  });
});

/**
 * The cache across languages (clients/python/requeue/cache.py and lib/cache): the same keys,
 * entry header and compression marker, tag versions and statistics. The Python side runs
 * clients/python/tests/xlang_cache.py: operations as JSON on stdin, their results on stdout.
 */
describe.skipIf(isCluster())("Python cache client", () => {
  const XLANG_CACHE = join(CLIENT, "tests/xlang_cache.py");
  // Not privatePrefix(): it sets the global config when the file is collected, which would move
  // the queue tests above onto this prefix. Every call below passes the prefix itself.
  const cachePrefix = uniqueName("pyc");
  const cacheEnv = {
    REDIS_KEY_PREFIX: cachePrefix,
    CACHE_TIMEOUT_MS: "5000",
    CACHE_BREAKER_FAILURES: "1000",
    // the test's 3 KB value is compressed in both languages (the default threshold is 8 KB)
    CACHE_COMPRESS_THRESHOLD_BYTES: "1024",
  };
  const caches: Cache[] = [];
  afterEach(async () => {
    for (const c of caches.splice(0)) {
      await c.close();
      c.client.disconnect();
    }
  });

  function tsCache(): Cache {
    const c = new Cache({ client: testRedis(), config: testConfig(cacheEnv), stats: false });
    caches.push(c);
    return c;
  }

  type Result = { value?: unknown; loaded?: boolean; hit?: boolean; ok?: boolean };
  function python(ops: Record<string, unknown>[]): Result[] {
    const r = spawnSync(PYTHON, [XLANG_CACHE], {
      env: env(cacheEnv),
      input: JSON.stringify(ops),
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Result[];
  }

  const big = { title: "ünïcödé €", text: "x".repeat(3000), pages: [1, 2, 3] };

  it("a value cached in Python is read in TypeScript; a TypeScript tag invalidation drops it for Python", async () => {
    const [small, large] = python([
      {
        op: "get_or_set",
        namespace: "document",
        key: "summary:py",
        value: { n: 1.5 },
        tags: ["document:py"],
      },
      { op: "get_or_set", namespace: "document", key: "big:py", value: big, tags: ["document:py"] },
    ]);
    expect(small).toEqual({ value: { n: 1.5 }, loaded: true });
    expect(large).toEqual({ value: big, loaded: true });
    const cache = tsCache();
    await cache.ready(20_000);
    const doc = cache.namespace("document");
    // gzip marker written by Python, read by TypeScript
    expect((await cache.client.getBuffer(doc.entryKey("big:py")))?.subarray(0, 1).toString()).toBe("z");
    expect(await doc.get("summary:py")).toEqual({ n: 1.5 });
    expect(await doc.getOrSet("big:py", () => "not loaded", { tags: ["document:py"] })).toEqual(big);

    expect((await cache.invalidateTag("document:py")).ok).toBe(true);
    expect(python([{ op: "get", namespace: "document", key: "big:py" }])).toEqual([
      { value: null, hit: false },
    ]);
    expect(python([{ op: "get", namespace: "document", key: "summary:py" }])[0].hit).toBe(false);
  });

  it("a value cached in TypeScript is read in Python: plain, compressed, user-scoped, and a wrapped call", async () => {
    const cache = tsCache();
    await cache.ready(20_000);
    await cache.namespace("graph").set("nodes:7", big, { tags: ["graph:7"] });
    await cache.namespace("user").set("profile", { name: "Alice" }, { user: "alice@example.com" });
    const summary = cache.wrap(async (id: number) => ({ from: "typescript", id }), {
      name: "summary",
      namespace: "document",
    });
    expect(await summary(42)).toEqual({ from: "typescript", id: 42 });

    const [graph, profile, other, wrapped] = python([
      { op: "get", namespace: "graph", key: "nodes:7" },
      { op: "get", namespace: "user", key: "profile", user: "alice@example.com" },
      { op: "get", namespace: "user", key: "profile", user: "bob" },
      { op: "summary", arg: 42 },
    ]);
    expect(graph).toEqual({ value: big, hit: true });
    expect(profile).toEqual({ value: { name: "Alice" }, hit: true });
    expect(other.hit).toBe(false);
    // the decorator builds TypeScript's call key: Python gets TypeScript's value, its own function unrun
    expect(wrapped).toEqual({ value: { from: "typescript", id: 42 }, loaded: false });

    await cache.invalidateUser("alice@example.com");
    expect(python([{ op: "get", namespace: "user", key: "profile", user: "alice@example.com" }])[0].hit).toBe(
      false,
    );
  });

  it("Python's statistics are what lib/cache/stats reads for the console: hits, misses, latency per namespace", async () => {
    const ns = `pystats${Date.now() % 100000}`;
    const results = python([
      { op: "get_or_set", namespace: ns, key: "k", value: 1 },
      { op: "get_or_set", namespace: ns, key: "k", value: 2 },
      { op: "get_or_set", namespace: ns, key: "k", value: 3 },
    ]);
    expect(results.map((r) => [r.value, r.loaded])).toEqual([
      [1, true],
      [1, false],
      [1, false],
    ]);
    const client = tsCache().client;
    const summary = (await namespaceSummary(client, { prefix: cachePrefix })).find((s) => s.namespace === ns);
    expect(summary).toMatchObject({ hits: 2, misses: 1, hitRate: 2 / 3 });
    expect(summary?.savedLoaderMs).not.toBeNull();
    const rows = await cacheSeries(client, ns, Date.now() - 5 * 60_000, Date.now(), cachePrefix);
    const total = (k: "hits" | "misses" | "loads") => rows.reduce((n, r) => n + r[k], 0);
    expect([total("hits"), total("misses"), total("loads")]).toEqual([2, 1, 1]);
    expect(rows.some((r) => r.p50 > 0)).toBe(true);
    const breakers = await breakerStates(client, { prefix: cachePrefix });
    expect(breakers.some((b) => b.state === "closed" && b.opens === 0)).toBe(true);
  });
});
