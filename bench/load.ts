/**
 * `npm run bench:load`: the console's API under sustained load while the queue is busy.
 *
 * Starts an isolated redis-server, seeds LOAD_DEAD_LETTERS dead letters (default 5,000, two
 * queues), the worker service, the built console (`next start`, needs `npx next build` first)
 * and a queue process (`tsx bench/load.ts --queue`: a producer and a consumer at concurrency 50
 * doing no-op jobs as fast as they go, the backlog capped). Then autocannon, in a process of its
 * own on loopback, sends GET /api/v1/dead-letters?limit=50 with an API token for LOAD_SECONDS
 * (default 30) over LOAD_CONNECTIONS (default 10) connections.
 *
 * Reports latency p50/p99, requests/s and the error rate (non-2xx, errors and timeouts ÷ all),
 * and the queue's throughput before (no HTTP load, LOAD_BASELINE_SECONDS) and during the run.
 * Nothing is pinned to a core: on this 2-core machine every process shares both cores. JSON last line.
 */
import { spawn } from "node:child_process";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { seedDeadLetters } from "../test/harness/dead-letters.ts";
import { killDescendantsOnExit, round, sleep, spawnTsx, startConsoleRun } from "../test/reliability/procs.ts";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const BASELINE_SECONDS = Number(process.env.LOAD_BASELINE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 10);
const DEAD_LETTERS = Number(process.env.LOAD_DEAD_LETTERS ?? 5000);
const FIGURES_KEY = "rq:bench-load:figures";
const log = (line: string) => process.stderr.write(`[load] ${line}\n`);

/* ---------- queue process: producer + consumer, publishing its counters ---------- */

async function queueMain(): Promise<void> {
  const config = parseConfig(process.env);
  const q = createQueue("load", { config });
  const client = q.ctx.client;
  client.on("error", () => {});
  const consumer = q.process(async () => {}, { concurrency: 50, onError: () => {} });
  let added = 0;
  setInterval(() => {
    const figures = { added, completed: consumer.counters.completed, at: Date.now() };
    void client.set(FIGURES_KEY, JSON.stringify(figures)).catch(() => {});
  }, 250);
  for (;;) {
    if ((await client.llen(q.ctx.keys.ready)) > 5000) {
      await sleep(20);
      continue;
    }
    await q.addBatch(Array.from({ length: 200 }, (_, i) => ({ data: { i } })));
    added += 200;
  }
}

/* ---------- orchestrator ---------- */

interface QueueFigures {
  added: number;
  completed: number;
  at: number;
}

async function main(): Promise<void> {
  killDescendantsOnExit();
  const run = await startConsoleRun({
    tokenName: "bench-load",
    env: { WORKER_INTERVAL_MS: "1000" },
    seed: async (client, redisUrl) => {
      log(`redis-server on ${redisUrl}; seeding ${DEAD_LETTERS} dead letters`);
      for (const [i, queue] of ["documents", "audio"].entries()) {
        const n = Math.floor(DEAD_LETTERS / 2);
        for (let j = 0; j < n; j += 1000) {
          await seedDeadLetters(
            client,
            queue,
            Array.from({ length: Math.min(1000, n - j) }, (_, k) => ({
              message: `upstream timed out after ${k % 7} s`,
              fingerprint: `fp-${i}-${k % 5}`,
              payload: { doc: j + k, text: "x".repeat(200) },
            })),
          );
        }
      }
    },
  });
  const { base, client, token } = run;
  const url = `${base}/api/v1/dead-letters?limit=50`;
  const check = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new Error(`${url} answered ${check.status}: ${await check.text()}`);
  await check.arrayBuffer();
  run.children.push(spawnTsx("queue", ["bench/load.ts", "--queue"], run.env));

  const figures = async (): Promise<QueueFigures> => JSON.parse((await client.get(FIGURES_KEY)) ?? "null");
  while (!(await figures())?.completed) await sleep(200);
  await sleep(3000); // queue warm-up
  const b0 = await figures();
  await sleep(BASELINE_SECONDS * 1000);
  const b1 = await figures();
  const rate = (a: QueueFigures, b: QueueFigures) =>
    round((b.completed - a.completed) / ((b.at - a.at) / 1000), 0);
  log(`queue alone: ${rate(b0, b1)} jobs/s; autocannon warm-up 5 s`);

  await autocannon(url, token, 5, CONNECTIONS); // JIT and caches warm
  const q0 = await figures();
  log(`autocannon: ${CONNECTIONS} connections, ${SECONDS} s`);
  const ac = await autocannon(url, token, SECONDS, CONNECTIONS);
  const q1 = await figures();

  await run.stop();

  const total = ac.requests.total + ac.errors;
  const failed = ac.non2xx + ac.errors + ac.timeouts;
  const result = {
    bench: "load",
    route: "GET /api/v1/dead-letters?limit=50",
    deadLetters: DEAD_LETTERS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    latencyMs: { p50: ac.latency.p50, p90: ac.latency.p90, p99: ac.latency.p99, max: ac.latency.max },
    requestsPerSecond: round(ac.requests.average, 0),
    requests: total,
    non2xx: ac.non2xx,
    errors: ac.errors,
    timeouts: ac.timeouts,
    errorRate: total ? round(failed / total, 4) : null,
    queueJobsPerSecondAlone: rate(b0, b1),
    queueJobsPerSecondDuring: rate(q0, q1),
    machine: "2 shared cores, nothing pinned",
  };
  console.log(JSON.stringify(result));
  process.exit(0);
}

interface AutocannonResult {
  latency: { p50: number; p90: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** autocannon as a child process (a second process on loopback), JSON output. */
function autocannon(
  url: string,
  token: string,
  seconds: number,
  connections: number,
): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const args = [
      "-c",
      String(connections),
      "-d",
      String(seconds),
      "-j",
      "-H",
      `authorization=Bearer ${token}`,
      url,
    ];
    const proc = spawn("node_modules/.bin/autocannon", args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    proc.on("error", reject);
    proc.on("exit", (code) => {
      try {
        resolve(JSON.parse(out) as AutocannonResult);
      } catch {
        reject(new Error(`autocannon exited ${code} without JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}

if (process.argv.includes("--queue")) void queueMain();
else
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
