/**
 * `npm run bench:queue`: Requeue against BullMQ, like for like. Each scenario runs once per
 * library per round, in alternating order, on a FLUSHALLed redis-server of its own (pinned to
 * core 1, node to core 0 with `taskset -a`). The clock and the per-job counters start after the
 * pre-fill, with both consumers connected and ready (bench/queue-runners.ts). Round 0 is a
 * warm-up and is discarded for both. Each ratio is the median of the per-round paired ratios
 * (ours ÷ theirs in the same round), with their min and max as the spread.
 */
import { createRequire } from "node:module";
import { failingFloor, floorLine, floorRow } from "./failing-floor.ts";
import { fmt, load, median, PAYLOAD_1KB, ROUNDS, r2, SCALE, scaled } from "./measure.ts";
import { type Bounds, BoundsMeter, boundsReport } from "./queue-bounds.ts";
import type { Meter } from "./queue-meter.ts";
import { benchTarget, bullmq, type Runner, requeue, type Target } from "./queue-runners.ts";

const n = scaled;

interface Scenario {
  key: string;
  label: string;
  jobs: number;
  run: (r: Runner, t: Target, queue: string, meter: Meter) => Promise<number>;
}

const noop = (
  key: string,
  label: string,
  jobs: number,
  c: number,
  o: { prefetch?: number; matched?: boolean },
) => ({
  key,
  label,
  jobs,
  run: (r: Runner, t: Target, q: string, meter: Meter) =>
    r.noop(t, q, jobs, c, { prefetch: o.prefetch, matchedRetention: o.matched, meter }),
});

/** BENCH_ONLY=c1,c10 runs only those rows (a quick look at one figure; the full run is the one to quote). */
const only = process.env.BENCH_ONLY?.split(",").map((k) => k.trim());
const allScenarios: Scenario[] = [
  noop("c1", "no-op jobs/s, c1, prefetch 0", n(2000), 1, { prefetch: 0 }),
  noop("c10", "no-op jobs/s, c10, prefetch 0", n(10000), 10, { prefetch: 0 }),
  noop("c100", "no-op jobs/s, c100, prefetch 0", n(20000), 100, { prefetch: 0 }),
  noop("c10_prefetch", "no-op jobs/s, c10 + prefetch 10 (Requeue default)", n(10000), 10, {}),
  noop("c100_prefetch", "no-op jobs/s, c100 + prefetch 100 (Requeue default)", n(20000), 100, {}),
  noop(
    "c10_matched_retention",
    "no-op jobs/s, c10, prefetch 0, BullMQ removeOnComplete = our bounds",
    n(10000),
    10,
    {
      prefetch: 0,
      matched: true,
    },
  ),
  {
    key: "add",
    label: "adds/s (single add, 50 in flight)",
    jobs: n(10000),
    run: (r, t, q, meter) => r.add(t, q, n(10000), 50, { meter }),
  },
  {
    key: "failing",
    label: "always-failing jobs/s to dead (3 attempts, c10, prefetch 0, varied errors)",
    jobs: n(2000),
    run: (r, t, q, meter) => r.failing(t, q, n(2000), 10, PAYLOAD_1KB, { prefetch: 0, meter }),
  },
];
const scenarios = only ? allScenarios.filter((s) => only.includes(s.key)) : allScenarios;

async function usedMemory(t: Target): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await t.client.info("memory"))?.[1] ?? 0);
}

/** Bytes of BullMQ's capped events stream, left out of its per-dead-letter figure (in its favour). */
async function bullEventsBytes(t: Target, queue: string): Promise<number> {
  return Number((await t.client.call("MEMORY", "USAGE", `bull:${queue}:events`)) ?? 0);
}

type Sample = {
  rate: number;
  cmds: number;
  cpuUs: number;
  nodeUs: number;
  memPerDead?: number;
  bounds?: Bounds;
};
const results: Record<string, Record<string, Sample[]>> = { requeue: {}, bullmq: {} };

async function measure(r: Runner, s: Scenario, t: Target, round: number): Promise<void> {
  await t.client.flushall();
  const queue = `bench-${s.key}-${round}`;
  const m0 = await usedMemory(t);
  const meter = new BoundsMeter(t.client);
  const rate = await s.run(r, t, queue, meter);
  const m = meter.result!;
  const sample: Sample = {
    rate,
    cmds: m.commands / s.jobs,
    cpuUs: m.redisCpuUs / s.jobs,
    nodeUs: m.nodeCpuUs / s.jobs,
    bounds: meter.bounds(s.jobs),
  };
  if (s.key === "failing") {
    const extra = r.name === "bullmq" ? await bullEventsBytes(t, queue) : 0;
    sample.memPerDead = ((await usedMemory(t)) - m0 - extra) / s.jobs;
  }
  if (round === 0) return; // warm-up, discarded for both
  results[r.name][s.key] ??= [];
  results[r.name][s.key].push(sample);
}

async function versions(t: Target) {
  const redis = /redis_version:([\d.]+)/.exec(await t.client.info("server"))?.[1] ?? "?";
  const bull = (createRequire(import.meta.url)("bullmq/package.json") as { version: string }).version;
  return { bullmq: bull, redis, node: process.versions.node };
}

const range = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

function pairedRatios(key: string, of: (s: Sample) => number): number[] {
  const ours = results.requeue[key];
  const theirs = results.bullmq[key];
  return ours.map((s, i) => of(s) / of(theirs[i]));
}

async function main(): Promise<void> {
  const loadStart = load();
  const { server, client, t, pinned } = await benchTarget();
  const v = await versions(t);
  console.log(
    `redis-server ${v.redis} at ${server.url}; BullMQ ${v.bullmq}; node ${v.node}; ` +
      `${pinned ? "pinned (taskset -a): redis-server on core 1, node on core 0" : "NOT pinned (no taskset)"}; ` +
      `${ROUNDS} interleaved rounds + 1 warm-up round (discarded), scale ${SCALE}; load average ${loadStart.join(" ")}`,
  );
  console.log(
    "tuning: both libraries at their defaults (Requeue poll 200 ms, lease JOB_LEASE_SECONDS; BullMQ's worker " +
      "defaults); 'prefetch 0' rows are like for like (at most c jobs in hand), 'c + prefetch' rows use Requeue's default prefetch",
  );
  for (let round = 0; round <= ROUNDS; round++) {
    for (const s of scenarios) {
      const order = round % 2 === 0 ? [requeue, bullmq] : [bullmq, requeue];
      for (const r of order) await measure(r, s, t, round);
    }
    process.stderr.write(`round ${round}/${ROUNDS} done${round === 0 ? " (warm-up)" : ""}\n`);
  }
  const ratios: Record<string, number> = {};
  const spread: Record<string, [number, number]> = {};
  const header = [
    "scenario",
    "requeue median (min–max)",
    "bullmq median (min–max)",
    "paired ratio median (min–max)",
  ];
  const rows: string[][] = [
    [
      ...header,
      "cmds/job ours",
      "cmds/job bullmq",
      "redis µs/job ours",
      "redis µs/job bullmq",
      "node µs/job ours",
      "node µs/job bullmq",
    ],
  ];
  const med = (name: string, key: string, of: (s: Sample) => number) => median(results[name][key].map(of));
  for (const s of scenarios) {
    const paired = pairedRatios(s.key, (x) => x.rate);
    ratios[s.key] = median(paired);
    spread[s.key] = [r2(Math.min(...paired)), r2(Math.max(...paired))];
    rows.push([
      s.label,
      range(results.requeue[s.key].map((x) => x.rate)),
      range(results.bullmq[s.key].map((x) => x.rate)),
      `${ratios[s.key].toFixed(2)}× (${spread[s.key][0]}–${spread[s.key][1]})`,
      fmt(med("requeue", s.key, (x) => x.cmds)),
      fmt(med("bullmq", s.key, (x) => x.cmds)),
      fmt(med("requeue", s.key, (x) => x.cpuUs)),
      fmt(med("bullmq", s.key, (x) => x.cpuUs)),
      fmt(med("requeue", s.key, (x) => x.nodeUs)),
      fmt(med("bullmq", s.key, (x) => x.nodeUs)),
    ]);
  }
  const failing = scenarios.some((s) => s.key === "failing");
  const memOurs = failing ? med("requeue", "failing", (x) => x.memPerDead!) : Number.NaN;
  const memTheirs = failing ? med("bullmq", "failing", (x) => x.memPerDead!) : Number.NaN;
  if (failing) {
    const memPaired = pairedRatios("failing", (x) => x.memPerDead!);
    ratios.memory_per_dead = median(memPaired);
    spread.memory_per_dead = [r2(Math.min(...memPaired)), r2(Math.max(...memPaired))];
    rows.push([
      "bytes of Redis memory per dead letter (1 KB payload; lower is better)",
      fmt(memOurs),
      fmt(memTheirs),
      `${ratios.memory_per_dead.toFixed(2)}×`,
      ...Array(6).fill(""),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join(" | "));
  const bounds = boundsReport(
    scenarios.map((s) => s.key),
    results,
    median,
  );
  // what bounds the failing ratio: the throw and stack formatting both pay (bench/failing-floor.ts)
  let failingFloorRow: ReturnType<typeof floorRow> | undefined;
  if (failing) {
    const [oursFailUs, theirsFailUs] = [
      med("requeue", "failing", (x) => x.nodeUs),
      med("bullmq", "failing", (x) => x.nodeUs),
    ];
    failingFloorRow = floorRow(await failingFloor(), oursFailUs, theirsFailUs);
    console.log(floorLine(failingFloorRow, oursFailUs, theirsFailUs));
  }
  const perLib = (name: string) => ({
    jobs_per_s: Object.fromEntries(
      scenarios.map((s) => [s.key, Math.round(med(name, s.key, (x) => x.rate))]),
    ),
    commands_per_job: Object.fromEntries(scenarios.map((s) => [s.key, r2(med(name, s.key, (x) => x.cmds))])),
    redis_cpu_us_per_job: Object.fromEntries(
      scenarios.map((s) => [s.key, r2(med(name, s.key, (x) => x.cpuUs))]),
    ),
    node_cpu_us_per_job: Object.fromEntries(
      scenarios.map((s) => [s.key, r2(med(name, s.key, (x) => x.nodeUs))]),
    ),
    ...(failing ? { memory_per_dead_bytes: Math.round(name === "requeue" ? memOurs : memTheirs) } : {}),
  });
  await client.quit();
  await server.stop();
  console.log(
    JSON.stringify({
      bench: "queue",
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, x]) => [k, r2(x)])),
      spread,
      ratio_meaning:
        "median of per-round ours ÷ bullmq; higher is better except memory_per_dead, where lower is better",
      versions: v,
      load_average: { start: loadStart, end: load() },
      requeue: perLib("requeue"),
      bullmq: perLib("bullmq"),
      bounds,
      failing_floor: failingFloorRow,
      rounds: ROUNDS,
      warmup_rounds_discarded: 1,
      scale: SCALE,
      pinned,
    }),
  );
  process.exit(0);
}

void main();
