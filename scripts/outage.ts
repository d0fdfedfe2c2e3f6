/**
 * `npm run outage`: Redis unreachable for OUTAGE_SECONDS (default 30) under load — "graceful
 * degradation" and "nothing lost" (docs/architecture.md, docs/RELIABILITY.md), measured.
 *
 * Starts its own redis-server (append-only, appendfsync always), the worker service, consumer
 * processes (OUTAGE_CONSUMERS, default 2, concurrency 20; 10 % of jobs fail once), a producer
 * (this process, OUTAGE_RATE jobs/s with custom ids; an id counts once its add returned), cache
 * callers in a process of their own (getOrSet with a loader of OUTAGE_LOADER_MS, default 20 ms)
 * and, when the console is built (.next/BUILD_ID), `next start` polled on /api/health and
 * GET /api/v1/dead-letters with an API token (OUTAGE_CONSOLE=0 leaves it out). After a warm-up it kill -9s redis-server, waits
 * OUTAGE_SECONDS, restarts it on its append-only file, and checks that:
 *   - the consumers and the worker resumed by themselves (no process was restarted),
 *   - nothing was lost: every added id is in exactly one state at the end,
 *   - the console answered 503 during the outage and 200 again after it, without a restart,
 *   - cache callers always got the loader's value, with p99 ≤ CACHE_TIMEOUT_MS + loader time.
 * Prints the figures as a JSON last line; exits 1 if a check failed.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createCache } from "../lib/cache/index.ts";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { globalKeys, queueKeys } from "../lib/redis/keys.ts";
import { freePort, startRedisServer } from "../test/harness/redis-server.ts";
import {
  accountFor,
  adminToken,
  type Child,
  consoleBuilt,
  killDescendantsOnExit,
  percentile,
  round,
  sleep,
  snapshotBuild,
  spawnTsx,
  startConsole,
  stateMembers,
  stopChild,
  summary,
  untilSettled,
  waitForHttp,
} from "../test/reliability/procs.ts";

const QUEUE = "outage";
const PREFIX = "rq";
const RUNS_KEY = `${PREFIX}:outage:ok-runs`;
const OUTAGE_SECONDS = Number(process.env.OUTAGE_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.OUTAGE_WARMUP_SECONDS ?? 10);
const AFTER_SECONDS = Number(process.env.OUTAGE_AFTER_SECONDS ?? 15);
const CONSUMERS = Number(process.env.OUTAGE_CONSUMERS ?? 2);
const RATE = Number(process.env.OUTAGE_RATE ?? 500);
const LOADER_MS = Number(process.env.OUTAGE_LOADER_MS ?? 20);
const CACHE_CALLERS = Number(process.env.OUTAGE_CACHE_CALLERS ?? 8);
const log = (line: string) => process.stderr.write(`[outage] ${line}\n`);

function env(redisUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: PREFIX,
    REDIS_EMBEDDED: "false",
    JOB_LEASE_SECONDS: "5",
    WORKER_INTERVAL_MS: "200",
    COMPLETED_MAX_ENTRIES: "0",
    COMPLETED_RETENTION_SECONDS: "0",
    DLQ_RETENTION_DAYS: "0",
    DLQ_MAX_ENTRIES: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/* ---------- consumer process: runs jobs, records each successful run ---------- */

async function consumerMain(): Promise<void> {
  const q = createQueue(QUEUE, { config: parseConfig(process.env) });
  const client = q.ctx.client;
  client.on("error", () => {});
  q.process<{ n: number; flaky: boolean }>(
    async (job) => {
      if (job.data.flaky && job.attempt === 1) throw new Error("flaky failure, first attempt");
      await client.hincrby(RUNS_KEY, job.id, 1);
    },
    { concurrency: 20, onError: () => {} },
  );
  process.on("SIGTERM", () => void q.close(2000).then(() => process.exit(0)));
}

/* ---------- cache caller process: getOrSet with a loader of known latency ---------- */

async function cacheMain(): Promise<void> {
  const out = process.argv[process.argv.indexOf("--cache") + 1];
  const cache = createCache({ config: parseConfig(process.env) });
  const ns = cache.namespace("outage");
  const samples: number[] = []; // [t, latencyMs, ok] flattened
  let errors = 0;
  let stopping = false;
  const caller = async () => {
    while (!stopping) {
      const key = `k${Math.floor(Math.random() * 100)}`;
      const t = Date.now();
      const started = performance.now();
      try {
        const v = await ns.getOrSet(key, async () => {
          await sleep(LOADER_MS);
          return `v:${key}`;
        });
        samples.push(t, performance.now() - started, v === `v:${key}` ? 1 : 0);
      } catch {
        errors++;
        samples.push(t, performance.now() - started, 0);
      }
      await sleep(5);
    }
  };
  const callers = Array.from({ length: CACHE_CALLERS }, caller);
  // Tell the orchestrator the callers run (it starts the warm-up clock after this).
  while (!(await cache.client.set(`${PREFIX}:outage:cache-ready`, "1").catch(() => null))) await sleep(100);
  process.on("SIGTERM", async () => {
    stopping = true;
    await Promise.all(callers);
    writeFileSync(out, JSON.stringify({ samples, errors, breaker: cache.breaker() }));
    await cache.close().catch(() => {});
    process.exit(0);
  });
}

/* ---------- console poller ---------- */

interface Poll {
  t: number;
  health: number;
  api: number;
}

function pollConsole(base: string, token: string, polls: Poll[]): () => void {
  let stop = false;
  const status = async (url: string, headers: Record<string, string> = {}) => {
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0; // no answer at all
    }
  };
  void (async () => {
    while (!stop) {
      const t = Date.now();
      const [health, api] = await Promise.all([
        status(`${base}/api/health`),
        status(`${base}/api/v1/dead-letters?limit=5`, { authorization: `Bearer ${token}` }),
      ]);
      polls.push({ t, health, api });
      await sleep(500);
    }
  })();
  return () => {
    stop = true;
  };
}

/* ---------- orchestrator ---------- */

async function main(): Promise<void> {
  killDescendantsOnExit();
  const redis = await startRedisServer({ appendonly: true });
  const e = env(redis.url);
  log(`redis-server on ${redis.url}; outage ${OUTAGE_SECONDS} s; ${RATE} jobs/s; ${CONSUMERS} consumers`);
  const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  client.on("error", () => {});
  const k = queueKeys(QUEUE, PREFIX);
  const children: Child[] = [];
  for (let i = 0; i < CONSUMERS; i++)
    children.push(spawnTsx(`consumer-${i}`, ["scripts/outage.ts", "--consumer"], e));
  children.push(spawnTsx("worker", ["worker/main.ts"], e));
  const cacheOut = join(tmpdir(), `requeue-outage-cache-${process.pid}.json`);
  const cacheChild = spawnTsx("cache", ["scripts/outage.ts", "--cache", cacheOut], e);
  children.push(cacheChild);

  let stopPolling = () => {};
  const polls: Poll[] = [];
  let consolePort: number | null = null;
  if (process.env.OUTAGE_CONSOLE === "0") log("OUTAGE_CONSOLE=0: console checks skipped");
  else if (consoleBuilt()) {
    consolePort = await freePort();
    const token = await adminToken(redis.url);
    const build = snapshotBuild(); // a private copy: a rebuild of .next meanwhile cannot disturb the run
    process.on("exit", build.remove);
    children.push(startConsole(redis.url, consolePort, e as Record<string, string>, build.dir));
    await waitForHttp(`http://127.0.0.1:${consolePort}/api/health`, 90_000);
    stopPolling = pollConsole(`http://127.0.0.1:${consolePort}`, token, polls);
  } else log("console not built (.next/BUILD_ID missing): console checks skipped");

  // Producer: RATE jobs/s in batches every 100 ms, custom ids; a failed batch is retried as is.
  const ids: string[] = [];
  const q = createQueue(QUEUE, { config: parseConfig(e) });
  q.ctx.client.on("error", () => {});
  let producing = true;
  let addFailures = 0;
  let restartedAtForProducer = 0;
  let firstAddAfterRestartAt = 0;
  const producer = (async () => {
    let n = 0;
    while (producing) {
      const batch = Array.from({ length: Math.max(1, Math.round(RATE / 10)) }, () => {
        const id = `o-${n++}`;
        return {
          data: { n, flaky: n % 10 === 0 },
          opts: { jobId: id, maxAttempts: 5, backoff: { baseMs: 100 } },
        };
      });
      for (;;) {
        try {
          const results = await q.addBatch(batch);
          for (const r of results) ids.push(r.id);
          if (restartedAtForProducer && !firstAddAfterRestartAt) firstAddAfterRestartAt = Date.now();
          break;
        } catch {
          addFailures++;
          await sleep(200);
        }
      }
      await sleep(100);
    }
  })();

  const completedCount = async () => {
    try {
      return await client.zcard(k.completed);
    } catch {
      return -1;
    }
  };
  const workerBeatAt = async () => {
    try {
      const beats = Object.values(await client.hgetall(globalKeys(PREFIX).heartbeats));
      return Math.max(0, ...beats.map((b) => Number(JSON.parse(b).beatAt) || 0));
    } catch {
      return 0;
    }
  };

  // Warm-up starts when every part runs: jobs complete, the worker beats, the cache callers call.
  const readyDeadline = Date.now() + 120_000;
  while (
    !(
      (await completedCount()) > 0 &&
      (await workerBeatAt()) > 0 &&
      (await client.exists(`${PREFIX}:outage:cache-ready`))
    )
  ) {
    if (Date.now() > readyDeadline)
      throw new Error("consumers, worker or cache callers did not start within 120 s");
    await sleep(200);
  }
  await sleep(WARMUP_SECONDS * 1000);
  const beforeKill = await completedCount();
  log(`warm-up done: ${ids.length} added, ${beforeKill} completed; kill -9 redis-server`);
  const killedAt = Date.now();
  await redis.kill9();
  await sleep(OUTAGE_SECONDS * 1000);
  const restartingAt = Date.now();
  await redis.restart();
  const restartedAt = Date.now();
  restartedAtForProducer = restartedAt;
  log(
    `redis-server restarted on its append-only file after ${((restartedAt - killedAt) / 1000).toFixed(1)} s`,
  );

  // Resumption: completions grow again, the worker beats again, adds succeed again.
  let consumersResumedAt = 0;
  let workerResumedAt = 0;
  const afterRestartCompleted = await completedCount();
  const resumeDeadline = Date.now() + 60_000;
  while ((!consumersResumedAt || !workerResumedAt) && Date.now() < resumeDeadline) {
    const c = await completedCount();
    if (!consumersResumedAt && c > afterRestartCompleted) consumersResumedAt = Date.now();
    if (!workerResumedAt && (await workerBeatAt()) > restartedAt) workerResumedAt = Date.now();
    await sleep(50);
  }
  await sleep(AFTER_SECONDS * 1000);
  producing = false;
  await producer;
  await q.close();

  // Settle: everything added is processed by the same consumers.
  const { settled, sizes } = await untilSettled(client, QUEUE, { timeoutMs: 120_000, prefix: PREFIX });
  if (!settled)
    log(`not settled after 120 s: ready ${sizes.ready}, active ${sizes.active}, retry ${sizes.retry}`);
  stopPolling();
  const consumersAlive = children.filter((c) => c.name.startsWith("consumer") && !c.exited).length;
  const workerAlive = !children.find((c) => c.name === "worker")!.exited;
  const consoleAlive = consolePort ? !children.find((c) => c.name === "console")!.exited : null;

  const members = await stateMembers(client, QUEUE, PREFIX);
  const { ready, active, retry, dead, completed } = members;
  const accounted = accountFor(ids, members);
  const lost = accounted.lost.length;
  const multiState = accounted.multiState;
  const runs = await client.hgetall(RUNS_KEY);
  const duplicates = Object.values(runs).reduce((s, n) => s + Math.max(0, Number(n) - 1), 0);

  // Cache callers' figures, by phase.
  await stopChild(cacheChild, 10_000);
  const { samples, errors, breaker } = JSON.parse(readFileSync(cacheOut, "utf8")) as {
    samples: number[];
    errors: number;
    breaker: { opens: number };
  };
  rmSync(cacheOut, { force: true });
  const phase = { before: [] as number[], during: [] as number[], after: [] as number[] };
  let wrong = 0;
  // Share of calls faster than the loader per 5 s, from the kill on (seconds relative to the kill).
  const buckets = new Map<number, [number, number]>();
  for (let i = 0; i < samples.length; i += 3) {
    const [t, ms, ok] = [samples[i], samples[i + 1], samples[i + 2]];
    if (!ok) wrong++;
    const b = Math.floor((t - killedAt) / 5000) * 5;
    const cur = buckets.get(b) ?? [0, 0];
    buckets.set(b, [cur[0] + (ms < LOADER_MS ? 1 : 0), cur[1] + 1]);
    (t < killedAt ? phase.before : t < restartedAt ? phase.during : phase.after).push(ms);
  }
  const cacheConfig = parseConfig(e);
  // A call faster than the loader was a hit (or joined a load in flight); the rest ran the loader.
  const phaseFigures = (ms: number[]) => ({
    ...summary(ms),
    fasterThanLoader: round(ms.filter((v) => v < LOADER_MS).length / Math.max(1, ms.length), 3),
  });
  const bound = cacheConfig.CACHE_TIMEOUT_MS + LOADER_MS;
  const cacheP99During = percentile(phase.during, 99);

  // Console: 503 while Redis was down, 200 again after, no restart.
  const during = polls.filter((p) => p.t > killedAt + 2000 && p.t < restartingAt - 5000);
  const firstOkAfter = (field: "health" | "api") =>
    polls.find((p) => p.t >= restartedAt && p[field] === 200)?.t;
  const healthBackAt = firstOkAfter("health");
  const apiBackAt = firstOkAfter("api");
  const codes = (field: "health" | "api") => [...new Set(during.map((p) => p[field]))].sort();
  const consoleFig = consolePort
    ? {
        healthDuringOutage: codes("health"),
        apiDuringOutage: codes("api"),
        healthRecoveredAfterMs: healthBackAt ? healthBackAt - restartedAt : null,
        apiRecoveredAfterMs: apiBackAt ? apiBackAt - restartedAt : null,
        non200After: polls.filter(
          (p) => healthBackAt && p.t > healthBackAt && (p.health !== 200 || p.api !== 200),
        ).length,
        serverErrors: polls.filter((p) => p.health === 500 || p.api === 500).length,
        restarted: false,
        alive: consoleAlive,
      }
    : null;

  for (const c of children) await stopChild(c);
  client.disconnect();
  await redis.stop();

  const result = {
    outageSeconds: round((restartedAt - killedAt) / 1000, 1),
    added: ids.length,
    completed: completed.length,
    dead: dead.length,
    pendingAtEnd: ready.length + active.length + retry.length,
    lost,
    multiState,
    duplicates,
    addBatchErrors: addFailures,
    producerResumedAfterMs: firstAddAfterRestartAt ? firstAddAfterRestartAt - restartedAt : null,
    consumersResumedAfterMs: consumersResumedAt ? consumersResumedAt - restartedAt : null,
    workerResumedAfterMs: workerResumedAt ? workerResumedAt - restartedAt : null,
    consumersAlive,
    workerAlive,
    console: consoleFig,
    cache: {
      loaderMs: LOADER_MS,
      timeoutMs: cacheConfig.CACHE_TIMEOUT_MS,
      boundMs: bound,
      before: phaseFigures(phase.before),
      during: phaseFigures(phase.during),
      after: phaseFigures(phase.after),
      breakerOpens: breaker.opens,
      fasterThanLoaderBy5s: Object.fromEntries(
        [...buckets].filter(([b]) => b >= -10).map(([b, [fast, n]]) => [b, round(fast / n, 2)]),
      ),
      wrongValues: wrong,
      errors,
    },
  };
  const ok =
    lost === 0 &&
    multiState === 0 &&
    result.pendingAtEnd === 0 &&
    consumersResumedAt > 0 &&
    workerResumedAt > 0 &&
    consumersAlive === CONSUMERS &&
    workerAlive &&
    wrong === 0 &&
    errors === 0 &&
    cacheP99During <= bound &&
    (!consoleFig ||
      (consoleFig.healthRecoveredAfterMs !== null &&
        consoleFig.apiRecoveredAfterMs !== null &&
        consoleFig.serverErrors === 0));
  log(ok ? "every check passed" : "a check FAILED");
  console.log(JSON.stringify({ ...result, ok }));
  process.exit(ok ? 0 : 1);
}

if (process.argv.includes("--consumer")) void consumerMain();
else if (process.argv.includes("--cache")) void cacheMain();
else
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
