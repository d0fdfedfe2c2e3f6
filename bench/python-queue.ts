/**
 * `npm run bench:python-queue`: the Python consumer (clients/python, run by /usr/bin/python3)
 * next to the TypeScript consumer, same machine, same redis-server, same jobs. Scenarios: no-op
 * jobs/s at concurrency 1 and 10 (prefetch 0, and c10 with the default prefetch), and the
 * failing path (always-failing jobs with varied errors to dead, 3 attempts). Each round runs
 * every scenario once per language, in alternating order, on a FLUSHALLed redis-server pinned to
 * core 1 (node and python on core 0 with `taskset -a`); round 0 is a warm-up, discarded. Both
 * queues are pre-filled by the TypeScript producer before the clock; the Python consumer
 * connects and loads its scripts, then waits for "go" (bench/python_queue.py).
 * Per scenario: jobs/s (median, min–max), Redis commands and Redis CPU per job (INFO), and the
 * consumer process's CPU per job (node's own, or the Python child's process time).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { fmt, load, median, PAYLOAD_1KB, pin, ROUNDS, r2, SCALE, scaled } from "./measure.ts";
import { Meter } from "./queue-meter.ts";
import { benchTarget, requeue, type Target } from "./queue-runners.ts";

const PYTHON = "/usr/bin/python3";
const n = scaled;

interface Scenario {
  key: string;
  label: string;
  mode: "noop" | "failing";
  jobs: number;
  concurrency: number;
  /** undefined: each consumer's default (as many as the concurrency, both languages) */
  prefetch?: number;
}

const scenarios: Scenario[] = [
  {
    key: "c1",
    label: "no-op jobs/s, c1, prefetch 0",
    mode: "noop",
    jobs: n(2000),
    concurrency: 1,
    prefetch: 0,
  },
  {
    key: "c10",
    label: "no-op jobs/s, c10, prefetch 0",
    mode: "noop",
    jobs: n(5000),
    concurrency: 10,
    prefetch: 0,
  },
  {
    key: "c10_prefetch",
    label: "no-op jobs/s, c10 + prefetch 10 (default)",
    mode: "noop",
    jobs: n(5000),
    concurrency: 10,
  },
  {
    key: "failing",
    label: "always-failing jobs/s to dead (3 attempts, c10, prefetch 0, varied errors)",
    mode: "failing",
    jobs: n(1000),
    concurrency: 10,
    prefetch: 0,
  },
];

type Sample = { rate: number; cmds: number; redisUs: number; consumerUs: number };
const results: Record<string, Record<string, Sample[]>> = { typescript: {}, python: {} };

/** The Python consumer of `queue`, pre-filled: started, ready, timed from "go" to "done". */
async function pythonRun(t: Target, s: Scenario, queue: string, meter: Meter): Promise<number> {
  const child: ChildProcess = spawn(
    PYTHON,
    [
      "bench/python_queue.py",
      s.mode,
      queue,
      String(s.jobs),
      String(s.concurrency),
      String(s.prefetch ?? s.concurrency),
    ],
    { env: { ...process.env, REDIS_URL: t.url, REDIS_KEY_PREFIX: "rq" }, stdio: ["pipe", "pipe", "inherit"] },
  );
  if (child.pid !== undefined) pin(child.pid, 0);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value ?? "");
  if ((await next()) !== "ready") throw new Error("the Python consumer did not start");
  await meter.begin();
  child.stdin!.write("go\n");
  const done = await next();
  await meter.end();
  const cpu = Number(/^done ([\d.]+)$/.exec(done)?.[1] ?? Number.NaN);
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
  meter.result!.nodeCpuUs = cpu * 1e6; // the consumer's CPU: the Python child's
  return s.jobs / meter.result!.seconds;
}

/** Pre-fills `queue` with the TypeScript producer, as both languages' runs start. */
async function prefill(t: Target, s: Scenario, queue: string): Promise<void> {
  const q = createQueue(queue, { client: t.client, config: parseConfig({ REDIS_URL: t.url }) });
  const data = s.mode === "failing" ? PAYLOAD_1KB : {};
  const opts = s.mode === "failing" ? { maxAttempts: 3, backoff: { type: "fixed" as const, baseMs: 1 } } : {};
  for (let i = 0; i < s.jobs; i += 2000)
    await q.addBatch(Array.from({ length: Math.min(2000, s.jobs - i) }, () => ({ data, opts })));
  await q.close();
}

async function measure(lang: "typescript" | "python", s: Scenario, t: Target, round: number) {
  await t.client.flushall();
  const queue = `pybench-${s.key}-${round}`;
  const meter = new Meter(t.client);
  let rate: number;
  if (lang === "python") {
    await prefill(t, s, queue);
    rate = await pythonRun(t, s, queue, meter);
  } else if (s.mode === "noop") {
    rate = await requeue.noop(t, queue, s.jobs, s.concurrency, { prefetch: s.prefetch, meter });
  } else {
    rate = await requeue.failing(t, queue, s.jobs, s.concurrency, PAYLOAD_1KB, {
      prefetch: s.prefetch,
      meter,
    });
  }
  const m = meter.result!;
  if (round === 0) return;
  results[lang][s.key] ??= [];
  results[lang][s.key].push({
    rate,
    cmds: m.commands / s.jobs,
    redisUs: m.redisCpuUs / s.jobs,
    consumerUs: m.nodeCpuUs / s.jobs,
  });
}

async function main(): Promise<void> {
  const loadStart = load();
  const { server, client, t, pinned } = await benchTarget();
  console.log(
    `redis-server at ${server.url}; node ${process.versions.node}; ${PYTHON}; ` +
      `${pinned ? "pinned: redis-server core 1, node and python core 0" : "NOT pinned (no taskset)"}; ` +
      `${ROUNDS} rounds + 1 warm-up (discarded), scale ${SCALE}; load average ${loadStart.join(" ")}`,
  );
  for (let round = 0; round <= ROUNDS; round++) {
    for (const s of scenarios) {
      const order =
        round % 2 === 0 ? (["typescript", "python"] as const) : (["python", "typescript"] as const);
      for (const lang of order) await measure(lang, s, t, round);
    }
    process.stderr.write(`round ${round}/${ROUNDS} done${round === 0 ? " (warm-up)" : ""}\n`);
  }
  const med = (lang: string, key: string, of: (x: Sample) => number) => median(results[lang][key].map(of));
  const span = (lang: string, key: string) => {
    const xs = results[lang][key].map((x) => x.rate);
    return `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
  };
  const rows = [
    [
      "scenario",
      "TypeScript jobs/s",
      "Python jobs/s",
      "Py ÷ TS",
      "cmds/job TS",
      "cmds/job Py",
      "redis µs/job TS",
      "redis µs/job Py",
      "consumer CPU µs/job TS",
      "consumer CPU µs/job Py",
    ],
  ];
  for (const s of scenarios) {
    const ratio = med("python", s.key, (x) => x.rate) / med("typescript", s.key, (x) => x.rate);
    rows.push([
      s.label,
      span("typescript", s.key),
      span("python", s.key),
      `${ratio.toFixed(2)}×`,
      ...(["cmds", "redisUs", "consumerUs"] as const).flatMap((f) => [
        fmt(med("typescript", s.key, (x) => x[f])),
        fmt(med("python", s.key, (x) => x[f])),
      ]),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join(" | "));
  const perLang = (lang: string) =>
    Object.fromEntries(
      scenarios.map((s) => [
        s.key,
        {
          jobs_per_s: Math.round(med(lang, s.key, (x) => x.rate)),
          commands_per_job: r2(med(lang, s.key, (x) => x.cmds)),
          redis_cpu_us_per_job: r2(med(lang, s.key, (x) => x.redisUs)),
          consumer_cpu_us_per_job: r2(med(lang, s.key, (x) => x.consumerUs)),
        },
      ]),
    );
  await client.quit();
  await server.stop();
  console.log(
    JSON.stringify({
      bench: "python-queue",
      typescript: perLang("typescript"),
      python: perLang("python"),
      load_average: { start: loadStart, end: load() },
      rounds: ROUNDS,
      scale: SCALE,
      pinned,
    }),
  );
  process.exit(0);
}

void main();
