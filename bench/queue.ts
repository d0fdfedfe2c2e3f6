import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { median, pin } from "./measure.ts";
import { bullmq, type Runner, requeue, type Target } from "./queue-runners.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const n = (base: number) => Math.max(100, Math.round(base * SCALE));
const PAYLOAD_1KB = { text: "x".repeat(1000) };

interface Scenario {
  key: string;
  label: string;
  jobs: number;
  run: (r: Runner, t: Target, queue: string) => Promise<number>;
}

const scenarios: Scenario[] = [
  {
    key: "c1",
    label: "no-op jobs/s, concurrency 1",
    jobs: n(2000),
    run: (r, t, q) => r.noop(t, q, n(2000), 1),
  },
  {
    key: "c10",
    label: "no-op jobs/s, concurrency 10",
    jobs: n(10000),
    run: (r, t, q) => r.noop(t, q, n(10000), 10),
  },
  {
    key: "c100",
    label: "no-op jobs/s, concurrency 100",
    jobs: n(20000),
    run: (r, t, q) => r.noop(t, q, n(20000), 100),
  },
  {
    key: "add",
    label: "adds/s (single add, 50 in flight)",
    jobs: n(10000),
    run: (r, t, q) => r.add(t, q, n(10000), 50),
  },
  {
    key: "failing",
    label: "always-failing jobs/s to dead (3 attempts, c10)",
    jobs: n(2000),
    run: (r, t, q) => r.failing(t, q, n(2000), 10, PAYLOAD_1KB),
  },
];

async function commandCount(t: Target): Promise<number> {
  const info = await t.client.info("commandstats");
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm)) {
    if (
      !["info", "flushall", "memory|usage", "scan", "ping", "client|setname", "client|setinfo"].includes(m[1])
    )
      total += Number(m[2]);
  }
  return total;
}

async function redisCpu(t: Target): Promise<number> {
  const info = await t.client.info("cpu");
  const v = (f: string) => Number(new RegExp(`${f}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return v("used_cpu_sys") + v("used_cpu_user");
}

async function usedMemory(t: Target): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await t.client.info("memory"))?.[1] ?? 0);
}

/** Bytes of BullMQ's capped events stream, left out of its per-dead-letter figure (in its favour). */
async function bullEventsBytes(t: Target, queue: string): Promise<number> {
  return Number((await t.client.call("MEMORY", "USAGE", `bull:${queue}:events`)) ?? 0);
}

type Sample = { rate: number; cmds: number; cpuUs: number; nodeUs: number; memPerDead?: number };
const results: Record<string, Record<string, Sample[]>> = { requeue: {}, bullmq: {} };

async function measure(r: Runner, s: Scenario, t: Target, round: number): Promise<void> {
  await t.client.flushall();
  const queue = `bench-${s.key}-${round}`;
  const [c0, cpu0, m0] = [await commandCount(t), await redisCpu(t), await usedMemory(t)];
  const node0 = process.cpuUsage();
  const rate = await s.run(r, t, queue);
  const node = process.cpuUsage(node0);
  const [c1, cpu1] = [await commandCount(t), await redisCpu(t)];
  const sample: Sample = {
    rate,
    cmds: (c1 - c0) / s.jobs,
    cpuUs: ((cpu1 - cpu0) * 1e6) / s.jobs,
    nodeUs: (node.user + node.system) / s.jobs,
  };
  if (s.key === "failing") {
    const extra = r.name === "bullmq" ? await bullEventsBytes(t, queue) : 0;
    sample.memPerDead = ((await usedMemory(t)) - m0 - extra) / s.jobs;
  }
  results[r.name][s.key] ??= [];
  results[r.name][s.key].push(sample);
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
const range = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

async function main(): Promise<void> {
  const server = await startRedisServer();
  const pinned = pin(process.pid, 0) && server.pid !== undefined && pin(server.pid, 1);
  const client = createRedisFromUrl(server.url);
  const t: Target = { host: "127.0.0.1", port: server.port, url: server.url, client };
  console.log(
    `redis-server ${server.url}; ${pinned ? "pinned: redis-server on core 1, node on core 0" : "NOT pinned (no taskset)"}; ` +
      `${ROUNDS} interleaved rounds, scale ${SCALE}`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of scenarios) {
      const order = round % 2 === 0 ? [requeue, bullmq] : [bullmq, requeue];
      for (const r of order) await measure(r, s, t, round);
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const ratios: Record<string, number> = {};
  const rows: string[][] = [
    [
      "scenario",
      "requeue median (min–max)",
      "bullmq median (min–max)",
      "ratio",
      "cmds/job ours",
      "cmds/job bullmq",
      "redis µs/job ours",
      "redis µs/job bullmq",
      "node µs/job ours",
      "node µs/job bullmq",
    ],
  ];
  for (const s of scenarios) {
    const ours = results.requeue[s.key];
    const theirs = results.bullmq[s.key];
    ratios[s.key] = median(ours.map((x) => x.rate)) / median(theirs.map((x) => x.rate));
    rows.push([
      s.label,
      range(ours.map((x) => x.rate)),
      range(theirs.map((x) => x.rate)),
      `${ratios[s.key].toFixed(2)}×`,
      fmt(median(ours.map((x) => x.cmds))),
      fmt(median(theirs.map((x) => x.cmds))),
      fmt(median(ours.map((x) => x.cpuUs))),
      fmt(median(theirs.map((x) => x.cpuUs))),
      fmt(median(ours.map((x) => x.nodeUs))),
      fmt(median(theirs.map((x) => x.nodeUs))),
    ]);
  }
  const memOurs = median(results.requeue.failing.map((x) => x.memPerDead!));
  const memTheirs = median(results.bullmq.failing.map((x) => x.memPerDead!));
  ratios.memory_per_dead = memOurs / memTheirs;
  rows.push([
    "bytes of Redis memory per dead letter (1 KB payload; lower is better)",
    fmt(memOurs),
    fmt(memTheirs),
    `${ratios.memory_per_dead.toFixed(2)}×`,
    "",
    "",
    "",
    "",
    "",
    "",
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join(" | "));
  const medians = (name: string) =>
    Object.fromEntries(
      scenarios.map((s) => [s.key, Math.round(median(results[name][s.key].map((x) => x.rate)))]),
    );
  const cmds = (name: string) =>
    Object.fromEntries(
      scenarios.map((s) => [s.key, Number(median(results[name][s.key].map((x) => x.cmds)).toFixed(1))]),
    );
  await client.quit();
  await server.stop();
  console.log(
    JSON.stringify({
      bench: "queue",
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, Number(v.toFixed(2))])),
      ratio_meaning: "ours ÷ bullmq; higher is better except memory_per_dead, where lower is better",
      requeue: {
        jobs_per_s: medians("requeue"),
        commands_per_job: cmds("requeue"),
        memory_per_dead_bytes: Math.round(memOurs),
      },
      bullmq: {
        jobs_per_s: medians("bullmq"),
        commands_per_job: cmds("bullmq"),
        memory_per_dead_bytes: Math.round(memTheirs),
        version: "6.7",
      },
      rounds: ROUNDS,
      pinned,
    }),
  );
  process.exit(0);
}

void main();
