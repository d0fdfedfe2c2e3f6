/**
 * `npm run soak`: consumers, the worker service and the console under steady load for
 * SOAK_MINUTES (default 10) — "bounded growth" (docs/RELIABILITY.md), measured.
 *
 * Starts an isolated redis-server, a load process (`--load`: SOAK_RATE jobs/s, default 300, of
 * which 1 % always fail and 10 % fail once; plus cache getOrSet calls over 1,000 keys), a
 * consumer process (`--consumer`, concurrency 20), the worker and the built console (`next
 * start`, needs `npx next build`), polled once a second on its dead-letter list, queues, metrics
 * and health. The DLQ is capped (DLQ_MAX_ENTRIES=300, reached after ~100 s) and completed ids are capped at their
 * default, so Redis itself has a bound too.
 *
 * Every SOAK_SAMPLE_SECONDS (default 10) it samples the resident memory of each process tree
 * (/proc VmRSS, tsx and next fork children) and Redis used_memory. It reports start, end and max
 * per process, and the growth after the warm-up (SOAK_WARMUP_SECONDS, default 120) against the
 * bound: growth < 30 MB or < 10 %. JSON last line; exits 1 if a bound is exceeded.
 */
import { createCache } from "../lib/cache/index.ts";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import {
  killDescendantsOnExit,
  round,
  sleep,
  spawnTsx,
  startConsoleRun,
  treeRss,
} from "../test/reliability/procs.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.SOAK_WARMUP_SECONDS ?? 120);
const RATE = Number(process.env.SOAK_RATE ?? 300);
const QUEUE = "soak";
const MB = 1024 * 1024;
const BOUND_MB = 30;
const BOUND_RATIO = 0.1;
const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);

/* ---------- load process: producer and cache callers ---------- */

async function loadMain(): Promise<void> {
  const config = parseConfig(process.env);
  const q = createQueue(QUEUE, { config });
  q.ctx.client.on("error", () => {});
  const cache = createCache({ config });
  const ns = cache.namespace("document");
  let n = 0;
  setInterval(() => {
    const batch = Array.from({ length: Math.max(1, Math.round(RATE / 10)) }, () => {
      n++;
      return { data: { n, kind: n % 100 === 0 ? "always" : n % 10 === 0 ? "flaky" : "ok" } };
    });
    void q.addBatch(batch).catch(() => {});
    for (let i = 0; i < 20; i++) {
      const key = `doc:${Math.floor(Math.random() * 1000)}`;
      void ns.getOrSet(key, () => ({ key, summary: "s".repeat(500) })).catch(() => {});
    }
  }, 100);
}

/* ---------- consumer process ---------- */

async function consumerMain(): Promise<void> {
  const q = createQueue(QUEUE, { config: parseConfig(process.env) });
  q.ctx.client.on("error", () => {});
  q.process<{ kind: string }>(
    async (job) => {
      await sleep(1);
      if (job.data.kind === "always") throw new Error(`always fails (job ${job.id})`);
      if (job.data.kind === "flaky" && job.attempt === 1) throw new Error("flaky, first attempt");
    },
    { concurrency: 20, onError: () => {} },
  );
}

/* ---------- orchestrator ---------- */

interface Sample {
  t: number;
  rss: Record<string, number>;
  redisUsedMemory: number;
}

async function main(): Promise<void> {
  killDescendantsOnExit();
  const run = await startConsoleRun({
    tokenName: "soak",
    env: {
      DLQ_MAX_ENTRIES: "300",
      RETRY_BACKOFF_BASE_SECONDS: "0.1",
      RETRY_BACKOFF_MAX_SECONDS: "1",
    },
    tsx: [{ name: "consumer", args: ["scripts/soak.ts", "--consumer"] }],
  });
  const { redis, client, token, base, children } = run;
  children.push(spawnTsx("load", ["scripts/soak.ts", "--load"], run.env));
  log(
    `redis ${redis.url}, console ${base}; ${MINUTES} min at ${RATE} jobs/s; sampling every ${SAMPLE_SECONDS} s`,
  );

  // The console's steady load: what an open dashboard and a Prometheus scrape ask for.
  let polling = true;
  let httpErrors = 0;
  let httpRequests = 0;
  const statuses: Record<string, Record<string, number>> = {};
  const count = (path: string, status: number | string) => {
    statuses[path] ??= {};
    statuses[path][status] = (statuses[path][status] ?? 0) + 1;
  };
  const poller = (async () => {
    const paths = ["/api/v1/dead-letters?limit=50", "/api/v1/queues", "/api/metrics", "/api/health"];
    while (polling) {
      await Promise.all(
        paths.map(async (p) => {
          try {
            const res = await fetch(`${base}${p}`, {
              headers: { authorization: `Bearer ${token}` },
              signal: AbortSignal.timeout(10_000),
            });
            await res.arrayBuffer();
            httpRequests++;
            count(p, res.status);
            if (res.status !== 200) httpErrors++;
          } catch {
            httpRequests++;
            count(p, "no answer");
            httpErrors++;
          }
        }),
      );
      await sleep(1000);
    }
  })();

  const samples: Sample[] = [];
  const started = Date.now();
  const end = started + MINUTES * 60_000;
  while (Date.now() < end) {
    const info = await client.info("memory");
    const rss: Record<string, number> = {};
    for (const c of children) rss[c.name] = treeRss(c.proc.pid);
    rss.redis = treeRss(redis.pid);
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
    samples.push({ t: Date.now() - started, rss, redisUsedMemory: used });
    if (samples.length % 6 === 1)
      log(
        `${Math.round((Date.now() - started) / 1000)} s: ${Object.entries(rss)
          .map(([k, v]) => `${k} ${round(v / MB)} MB`)
          .join(", ")}, used_memory ${round(used / MB)} MB`,
      );
    await sleep(SAMPLE_SECONDS * 1000);
  }
  polling = false;
  await poller;
  const k = `rq:{${QUEUE}}`;
  const [completedTotal, dead] = await Promise.all([
    client.zcard(`${k}:completed`),
    client.zcard(`${k}:dead`),
  ]);
  const alive = Object.fromEntries(children.map((c) => [c.name, !c.exited]));
  await run.stop();

  const afterWarmup = samples.filter((s) => s.t >= WARMUP_SECONDS * 1000);
  const series = (get: (s: Sample) => number) => {
    const all = samples.map(get);
    const warm = afterWarmup.map(get);
    const startMb = warm[0] ?? all[0];
    const endMb = all.at(-1)!;
    const growth = endMb - startMb;
    return {
      startMB: round(all[0] / MB),
      afterWarmupMB: round(startMb / MB),
      endMB: round(endMb / MB),
      maxMB: round(Math.max(...all) / MB),
      growthMB: round(growth / MB),
      growthPct: round((100 * growth) / startMb),
      withinBound: growth < BOUND_MB * MB || growth / startMb < BOUND_RATIO,
    };
  };
  const processes = Object.fromEntries(
    [...children.map((c) => c.name), "redis"].map((name) => [name, series((s) => s.rss[name] ?? 0)]),
  );
  const redisUsedMemory = series((s) => s.redisUsedMemory);
  const ok =
    Object.values(processes).every((p) => p.withinBound) &&
    redisUsedMemory.withinBound &&
    Object.values(alive).every(Boolean);
  const result = {
    soak: true,
    minutes: MINUTES,
    sampleSeconds: SAMPLE_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    rateJobsPerSecond: RATE,
    bound: `growth after warm-up < ${BOUND_MB} MB or < ${BOUND_RATIO * 100} %`,
    rss: processes,
    redisUsedMemory,
    alive,
    console: { requests: httpRequests, non200: httpErrors, statuses },
    queue: { completedIdsKept: completedTotal, deadLetters: dead },
    samples: samples.length,
    ok,
  };
  console.log(JSON.stringify(result));
  process.exit(ok ? 0 : 1);
}

if (process.argv.includes("--load")) void loadMain();
else if (process.argv.includes("--consumer")) void consumerMain();
else
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
