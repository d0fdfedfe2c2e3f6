/**
 * `npm run chaos`: the fault-injection run behind "nothing lost" (docs/RELIABILITY.md).
 *
 * Starts its own redis-server (append-only; appendfsync from CHAOS_APPENDFSYNC, default everysec
 * as `npm start` and docker-compose.yml ship it, or always), a worker service and several
 * consumer processes (`tsx scripts/chaos.ts --consumer`) whose handlers fail at random (some
 * jobs always). While CHAOS_JOBS jobs (default 50,000) are added and processed it SIGKILLs
 * consumers at random moments, kills and restarts the worker, and kill -9s redis-server and
 * restarts it on its append-only file (twice at least). When every job has settled it checks
 * that each id is in exactly one state and prints the totals as a JSON last line:
 * {"enqueued","completed","dead","lost","duplicates"} (+ "multiState", "runsBy"). A duplicate is
 * a successful handler run of a job beyond its first (each run is recorded in Redis).
 *
 * CHAOS_MIX=python: every second consumer is a Python process (scripts/chaos_consumer.py on
 * clients/python, run by /usr/bin/python3), SIGKILLed like the others; "runsBy" counts the
 * successful runs of each language, so the run shows both did work.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { accountFor, sleep, stateMembers } from "../test/reliability/procs.ts";

const QUEUE = "chaos";
const PREFIX = "chaos";
const RUNS_KEY = `${PREFIX}:ok-runs`;
const JOBS = Number(process.env.CHAOS_JOBS ?? 50_000);
const CONSUMERS = Number(process.env.CHAOS_CONSUMERS ?? 4);
/** Mean time between random consumer SIGKILLs (0 = only the milestone kills). */
const KILL_EVERY_MS = Number(process.env.CHAOS_KILL_EVERY_MS ?? 1500);
const TIMEOUT_MS = Number(process.env.CHAOS_TIMEOUT_MS ?? 15 * 60_000);
/** everysec is the shipped default (scripts/start.ts, docker-compose.yml); always is the strict one. */
const APPENDFSYNC = process.env.CHAOS_APPENDFSYNC === "always" ? "always" : "everysec";
const MIX_PYTHON = process.env.CHAOS_MIX === "python";
const PYTHON = "/usr/bin/python3";
/** Successful runs per language (CHAOS_MIX=python shows both took part). */
const RUNS_BY_KEY = `${PREFIX}:ok-runs-by`;
const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);

function env(redisUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: PREFIX,
    JOB_LEASE_SECONDS: "2",
    WORKER_INTERVAL_MS: "200",
    COMPLETED_MAX_ENTRIES: "0",
    COMPLETED_RETENTION_SECONDS: "0",
    DLQ_RETENTION_DAYS: "0",
    DLQ_MAX_ENTRIES: "0",
  };
}

/* ---------- consumer process ---------- */

async function consumerMain(): Promise<void> {
  const config = parseConfig(process.env);
  const q = createQueue(QUEUE, { config });
  const client = q.ctx.client;
  client.on("error", () => {});
  q.process<{ kind: string }>(
    async (job) => {
      await sleep(Math.random() * 2);
      if (job.data.kind === "always") throw new Error(`always fails (job ${job.id})`);
      if (job.data.kind === "flaky" && Math.random() < 0.5) throw new Error("flaky failure");
      await client.hincrby(RUNS_KEY, job.id, 1);
      await client.hincrby(RUNS_BY_KEY, "typescript", 1);
    },
    { concurrency: 20, onError: () => {} },
  );
  process.on("SIGTERM", () => void q.close(2000).then(() => process.exit(0)));
}

/* ---------- orchestrator ---------- */

/**
 * node itself with tsx as a loader (or python itself): SIGKILL must hit the process that runs
 * the code, not a wrapper.
 */
function spawnChild(args: string[], redisUrl: string, runtime = [process.execPath, "--import", "tsx"]) {
  const child = spawn(runtime[0], [...runtime.slice(1), ...args], {
    env: env(redisUrl),
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.on("error", () => {});
  return child;
}

/** Consumer `i`: with CHAOS_MIX=python the odd ones are Python processes. */
function spawnConsumer(i: number, redisUrl: string): ChildProcess {
  return MIX_PYTHON && i % 2 === 1
    ? spawnChild(["scripts/chaos_consumer.py"], redisUrl, [PYTHON])
    : spawnChild(["scripts/chaos.ts", "--consumer"], redisUrl);
}

/** CHAOS_MIX=python needs Debian's python3 with python3-redis (scripts/setup.sh installs it). */
function checkPython(): void {
  if (!MIX_PYTHON) return;
  const r = spawnSync(PYTHON, ["-c", "import redis"], { stdio: "ignore" });
  if (r.status !== 0)
    throw new Error(`CHAOS_MIX=python needs ${PYTHON} with python3-redis (apt-get install python3-redis)`);
}

async function enqueue(url: string, ids: string[]): Promise<void> {
  const q = createQueue(QUEUE, { config: parseConfig(env(url)) });
  q.ctx.client.on("error", () => {});
  for (let i = 0; i < JOBS; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(JOBS, i + 500); j++) {
      const r = Math.random();
      const kind = r < 0.05 ? "always" : r < 0.2 ? "flaky" : "ok";
      batch.push({ data: { kind }, opts: { jobId: `c-${j}`, maxAttempts: 3, backoff: { baseMs: 20 } } });
    }
    // A retried batch is idempotent (custom ids): an id counts as enqueued once its add returned.
    for (;;) {
      try {
        const results = await q.addBatch(batch);
        for (const r of results) ids.push(r.id);
        break;
      } catch {
        await sleep(100);
      }
    }
  }
  await q.close();
}

async function main(): Promise<void> {
  checkPython();
  const redis = await startRedisServer({ appendonly: true, appendfsync: APPENDFSYNC });
  log(
    `redis-server on ${redis.url} (appendonly, appendfsync ${APPENDFSYNC}); ${JOBS} jobs, ${CONSUMERS} consumers` +
      (MIX_PYTHON ? ` (${Math.floor(CONSUMERS / 2)} of them Python)` : ""),
  );
  const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  client.on("error", () => {});
  const consumers: ChildProcess[] = [];
  for (let i = 0; i < CONSUMERS; i++) consumers.push(spawnConsumer(i, redis.url));
  let worker = spawnChild(["worker/main.ts"], redis.url);
  const ids: string[] = [];
  const adding = enqueue(redis.url, ids);
  const faults = { consumerKills: 0, pythonKills: 0, workerKills: 0, redisKills: 0 };
  const started = Date.now();
  let adderDone = false;
  void adding.then(() => {
    adderDone = true;
  });

  const killConsumer = (which?: number) => {
    const i = which ?? Math.floor(Math.random() * consumers.length);
    if (MIX_PYTHON && i % 2 === 1) faults.pythonKills++;
    consumers[i].kill("SIGKILL");
    consumers[i] = spawnConsumer(i, redis.url);
    faults.consumerKills++;
  };
  const killWorker = async () => {
    worker.kill("SIGKILL");
    faults.workerKills++;
    await sleep(300);
    worker = spawnChild(["worker/main.ts"], redis.url);
  };
  const killRedis = async () => {
    await redis.kill9();
    faults.redisKills++;
    await sleep(300);
    await redis.restart();
    log(`redis-server killed (-9) and restarted on its AOF (${faults.redisKills})`);
  };
  // Faults at progress milestones (so small runs get every kind), plus random consumer kills.
  const milestones: [number, () => unknown][] = [
    [0.05, () => killConsumer(MIX_PYTHON && consumers.length > 1 ? 1 : undefined)], // a mixed run kills a Python one for sure
    [0.15, killWorker],
    [0.25, killRedis],
    [0.4, killConsumer],
    [0.5, killWorker],
    [0.6, killRedis],
    [0.75, killConsumer],
    [0.85, killRedis],
  ];
  let lastLog = 0;
  let nextRandomKill = Date.now() + KILL_EVERY_MS * (0.3 + Math.random() * 1.4);

  for (;;) {
    await sleep(50);
    if (Date.now() - started > TIMEOUT_MS) throw new Error("chaos run timed out before every job settled");
    let done = 0;
    let pending = 1;
    try {
      const s = await queueSizes(client, QUEUE, { prefix: PREFIX });
      done = s.completed + s.dead;
      pending = s.ready + s.active + s.retry;
    } catch {
      continue;
    }
    if (Date.now() - lastLog > 2000) {
      lastLog = Date.now();
      log(`settled ${done}/${ids.length} enqueued, pending ${pending}, faults ${JSON.stringify(faults)}`);
    }
    while (milestones.length && done >= milestones[0][0] * JOBS) await milestones.shift()![1]();
    if (KILL_EVERY_MS > 0 && Date.now() > nextRandomKill && done < JOBS) {
      killConsumer();
      nextRandomKill = Date.now() + KILL_EVERY_MS * (0.3 + Math.random() * 1.4);
    }
    if (adderDone && pending === 0 && milestones.length === 0) break;
  }

  for (const c of consumers) c.kill("SIGKILL");
  worker.kill("SIGKILL");
  const s = await stateMembers(client, QUEUE, PREFIX);
  const { lost: lostIds, multiState } = accountFor(ids, s);
  const lost = lostIds.length;
  const runs = await client.hgetall(RUNS_KEY);
  const duplicates = Object.values(runs).reduce((sum, n) => sum + Math.max(0, Number(n) - 1), 0);
  const runsBy = Object.fromEntries(
    Object.entries(await client.hgetall(RUNS_BY_KEY)).map(([lang, n]) => [lang, Number(n)]),
  );
  const completedIds = new Set(s.completed);
  const completedWithoutRun = s.completed.filter((id) => !runs[id]).length;
  log(
    `faults: ${JSON.stringify(faults)}; ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `completed without a recorded run: ${completedWithoutRun}; completed ids: ${completedIds.size}`,
  );
  client.disconnect();
  await redis.stop();
  const result = {
    enqueued: ids.length,
    completed: s.completed.length,
    dead: s.dead.length,
    lost,
    duplicates,
    multiState,
    runsBy,
  };
  console.log(JSON.stringify(result));
  process.exit(lost === 0 && multiState === 0 ? 0 : 1);
}

if (process.argv.includes("--consumer")) void consumerMain();
else
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
