/**
 * `npx tsx bench/queue-cmds.ts`: Redis commands per job of Requeue alone (INFO commandstats
 * before/after, as bench/queue.ts counts them: the adds included, every command a script runs
 * counted), per scenario: no-op jobs at concurrency 1 / 10 / 100 (prefetch default), 1 ms jobs
 * at concurrency 10, single adds (50 in flight), and always-failing jobs (3 attempts, c10).
 * Counts, not timings: steady on a busy machine. Last line: JSON.
 */
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { requeue, type Target } from "./queue-runners.ts";

const SKIP = ["info", "flushall", "ping", "client|setname", "client|setinfo"];

async function counts(t: Target): Promise<{ all: number; scripts: number }> {
  const info = await t.client.info("commandstats");
  let all = 0;
  let scripts = 0;
  for (const m of info.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm)) {
    if (SKIP.includes(m[1])) continue;
    all += Number(m[2]);
    if (m[1] === "evalsha" || m[1] === "eval") scripts += Number(m[2]);
  }
  return { all, scripts };
}

/** Jobs that take a millisecond (a timer), so handlers are still running when the next lease goes. */
async function slowJobs(t: Target, name: string, n: number, concurrency: number): Promise<void> {
  const q = createQueue(name, { client: t.client, config: parseConfig({ REDIS_URL: t.url }) });
  await q.addBatch(Array.from({ length: n }, () => ({ data: {} })));
  const c = q.process(() => new Promise((r) => setTimeout(r, 1)), { concurrency, pollMs: 20 });
  while (c.counters.completed < n) await new Promise((r) => setTimeout(r, 5));
  await q.close();
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const client = createRedisFromUrl(server.url);
  const t: Target = { host: "127.0.0.1", port: server.port, url: server.url, client };
  const scenarios: [string, number, (q: string) => Promise<unknown>][] = [
    ["c1", 2000, (q) => requeue.noop(t, q, 2000, 1)],
    ["c10", 10000, (q) => requeue.noop(t, q, 10000, 10)],
    ["c100", 20000, (q) => requeue.noop(t, q, 20000, 100)],
    ["c10-1ms", 2000, (q) => slowJobs(t, q, 2000, 10)],
    ["add", 10000, (q) => requeue.add(t, q, 10000, 50)],
    ["failing", 2000, (q) => requeue.failing(t, q, 2000, 10, { text: "x".repeat(1000) })],
  ];
  const out: Record<string, { cmds: number; scripts: number }> = {};
  for (const [key, jobs, run] of scenarios) {
    await client.flushall();
    await client.script("FLUSH"); // the first EVALSHA of each script then loads it, as in a fresh run
    const a = await counts(t);
    await run(`cmds-${key}`);
    const b = await counts(t);
    out[key] = { cmds: (b.all - a.all) / jobs, scripts: (b.scripts - a.scripts) / jobs };
    console.log(
      `${key}: ${out[key].cmds.toFixed(2)} commands/job, ${out[key].scripts.toFixed(2)} script calls/job`,
    );
  }
  client.disconnect();
  await server.stop();
  console.log(JSON.stringify({ bench: "queue-cmds", ...out }));
}

await main();
