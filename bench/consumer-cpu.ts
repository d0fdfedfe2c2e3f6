/**
 * `npx tsx bench/consumer-cpu.ts` (or `node --cpu-prof --import tsx bench/consumer-cpu.ts` for a
 * profile): what Requeue's consumer alone costs per no-op job, at concurrency 1, 10 and 100 with
 * prefetch 0 (bench:queue's like-for-like rows), on a redis-server of its own: node and Redis CPU,
 * Redis commands, script calls and socket reads (round trips) per job, read after the pre-fill
 * (bench/queue-meter.ts), and what bounds each row (bench/queue-bounds.ts: node user / system
 * CPU, its busy share, socket calls and waits per job). Costs, not
 * timings: they hold on a busy machine, where jobs/s does not. CONSUMER_BENCH_JOBS scales the runs
 * (default 2,000 / 10,000 / 20,000); CONSUMER_BENCH_ONLY=c10 runs one. Last line: JSON.
 */
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { BoundsMeter, boundsJson, describeBounds } from "./queue-bounds.ts";
import { requeue, type Target } from "./queue-runners.ts";

const SCALE = Number(process.env.CONSUMER_BENCH_JOBS ?? 10000) / 10000;
const ONLY = process.env.CONSUMER_BENCH_ONLY;
const runs: [string, number, number][] = [
  ["c1", 1, Math.round(2000 * SCALE)],
  ["c10", 10, Math.round(10000 * SCALE)],
  ["c100", 100, Math.round(20000 * SCALE)],
];

/** Script calls so far, and socket reads Redis made (one per request that reached it: round trips). */
async function calls(t: Target): Promise<{ scripts: number; reads: number }> {
  const info = await t.client.info("all");
  let scripts = 0;
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+)/gm)) scripts += Number(m[2]);
  return { scripts, reads: Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1] ?? Number.NaN) };
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const client = createRedisFromUrl(server.url);
  const t: Target = { host: "127.0.0.1", port: server.port, url: server.url, client };
  const out: Record<string, Record<string, number>> = {};
  for (const [key, concurrency, jobs] of runs) {
    if (ONLY && ONLY !== key) continue;
    await client.flushall();
    const meter = new BoundsMeter(client);
    let at = { scripts: 0, reads: 0 };
    const begin = meter.begin.bind(meter);
    meter.begin = async () => {
      at = await calls(t); // after the pre-fill, like the meter
      await begin();
    };
    const rate = await requeue.noop(t, `consumer-cpu-${key}`, jobs, concurrency, { prefetch: 0, meter });
    const end = await calls(t);
    const m = meter.result!;
    // includes a handful of calls of the meter and the closing (INFO, release): not per job
    const per = (x: number) => Number((x / jobs).toFixed(3));
    out[key] = {
      node_cpu_us: Math.round(m.nodeCpuUs / jobs),
      redis_cpu_us: Math.round(m.redisCpuUs / jobs),
      cmds: per(m.commands),
      script_calls: per(end.scripts - at.scripts),
      redis_reads: per(end.reads - at.reads),
      jobs_per_s: Math.round(rate),
    };
    const bounds = meter.bounds(jobs)!;
    console.log(`${key}: ${JSON.stringify(out[key])}`);
    console.log(`${key} per job: ${describeBounds(bounds)}`);
    out[key] = { ...out[key], ...boundsJson(bounds) };
  }
  client.disconnect();
  await server.stop();
  console.log(JSON.stringify({ bench: "consumer-cpu", ...out }));
}

await main();
