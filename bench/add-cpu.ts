/**
 * `npx tsx bench/add-cpu.ts` (or `node --cpu-prof --import tsx bench/add-cpu.ts` for a profile):
 * node CPU per single `add()` of Requeue alone, 20,000 adds with 50 in flight, on a redis-server
 * of its own. The figure behind bench:queue's `add` ratio, without BullMQ or timings.
 */
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";

const N = Number(process.env.ADD_BENCH_JOBS ?? 20000);

async function main(): Promise<void> {
  const server = await startRedisServer();
  const client = createRedisFromUrl(server.url);
  const q = createQueue("add-cpu", { client, config: parseConfig({ REDIS_URL: server.url }) });
  await q.add({ warm: 1 });
  let next = 0;
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < N) await q.add({ i: next++ });
    }),
  );
  const c = process.cpuUsage(c0);
  const perAdd = (c.user + c.system) / N;
  console.log(JSON.stringify({ bench: "add-cpu", adds: N, node_cpu_us_per_add: Number(perAdd.toFixed(1)) }));
  client.disconnect();
  await server.stop();
}

void main();
