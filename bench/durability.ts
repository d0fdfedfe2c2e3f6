import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { type RedisServer, startRedisServer } from "../test/harness/redis-server.ts";
import { median, pin } from "./measure.ts";
import { requeue, type Target } from "./queue-runners.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const n = (base: number) => Math.max(100, Math.round(base * SCALE));

const scenarios = [
  {
    key: "add",
    label: "adds/s (single add, 50 in flight)",
    run: (t: Target, q: string) => requeue.add(t, q, n(10000), 50),
  },
  {
    key: "c10",
    label: "no-op jobs/s, concurrency 10",
    run: (t: Target, q: string) => requeue.noop(t, q, n(10000), 10),
  },
  {
    key: "c100",
    label: "no-op jobs/s, concurrency 100",
    run: (t: Target, q: string) => requeue.noop(t, q, n(20000), 100),
  },
  {
    key: "failing",
    label: "always-failing jobs/s to dead (3 attempts, c10)",
    run: (t: Target, q: string) => requeue.failing(t, q, n(2000), 10, { text: "x".repeat(1000) }),
  },
];
const SETTINGS = ["everysec", "always"] as const;
type Setting = (typeof SETTINGS)[number];

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

async function main(): Promise<void> {
  const servers: Record<Setting, RedisServer> = {
    everysec: await startRedisServer({ appendonly: true, appendfsync: "everysec" }),
    always: await startRedisServer({ appendonly: true, appendfsync: "always" }),
  };
  const pinned = pin(process.pid, 0) && SETTINGS.every((s) => servers[s].pid && pin(servers[s].pid, 1));
  const targets = Object.fromEntries(
    SETTINGS.map((s) => {
      const url = servers[s].url;
      return [s, { host: "127.0.0.1", port: servers[s].port, url, client: createRedisFromUrl(url) }];
    }),
  ) as Record<Setting, Target>;
  console.log(
    `two append-only redis-servers (everysec, always) in ${servers.everysec.dir} and ${servers.always.dir}; ` +
      `${pinned ? "pinned: redis-servers on core 1, node on core 0" : "NOT pinned (no taskset)"}; ` +
      `${ROUNDS} interleaved rounds, scale ${SCALE}`,
  );
  const rates = Object.fromEntries(
    SETTINGS.map((s) => [s, Object.fromEntries(scenarios.map((sc) => [sc.key, [] as number[]]))]),
  ) as Record<Setting, Record<string, number[]>>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const sc of scenarios) {
      const order: Setting[] = round % 2 === 0 ? ["everysec", "always"] : ["always", "everysec"];
      for (const setting of order) {
        const t = targets[setting];
        await t.client.flushall();
        rates[setting][sc.key].push(await sc.run(t, `durability-${sc.key}-${round}`));
      }
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const ratios: Record<string, number> = {};
  const rows = [["scenario", "everysec median (min–max)", "always median (min–max)", "always ÷ everysec"]];
  for (const sc of scenarios) {
    const [e, a] = [rates.everysec[sc.key], rates.always[sc.key]];
    ratios[sc.key] = median(a) / median(e);
    const cell = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
    rows.push([sc.label, cell(e), cell(a), `${ratios[sc.key].toFixed(2)}×`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join(" | "));
  for (const s of SETTINGS) {
    await targets[s].client.quit();
    await servers[s].stop();
  }
  console.log(
    JSON.stringify({
      bench: "durability",
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, Number(v.toFixed(2))])),
      ratio_meaning: "jobs/s with appendfsync always ÷ with everysec; below 1 is what always costs",
      everysec: Object.fromEntries(scenarios.map((s) => [s.key, Math.round(median(rates.everysec[s.key]))])),
      always: Object.fromEntries(scenarios.map((s) => [s.key, Math.round(median(rates.always[s.key]))])),
      rounds: ROUNDS,
      pinned,
    }),
  );
  process.exit(0);
}

void main();
