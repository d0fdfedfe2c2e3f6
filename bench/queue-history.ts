/**
 * `npx tsx bench/queue-history.ts`: what one queue history request costs (lib/queue/history.ts) —
 * 1 h, 24 h and 7 d over a queue with traffic in every minute of the last 8 days (counters and a
 * few processing-time buckets per minute, as complete-4.lua writes them). Starts its own
 * redis-server; prints the first read (every minute from Redis) and the median of 4 more (settled steps from memory), wall time (includes the round trips, on a shared
 * machine an upper bound of the Redis work), and the Redis memory the 8 days of stats take.
 */
import { performance } from "node:perf_hooks";
import { queueHistory } from "../lib/queue/history.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { minuteOf, queueKeys } from "../lib/redis/keys.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";

const server = await startRedisServer();
const c = createRedisFromUrl(server.url);
const k = queueKeys("bench", "rq");
const now = Date.now();
const last = minuteOf(now);
const before = Number(/used_memory:(\d+)/.exec(await c.info("memory"))?.[1]);
for (let m = last - 8 * 24 * 60; m <= last; m += 1_000) {
  const pipe = c.pipeline();
  for (let i = m; i < Math.min(m + 1_000, last + 1); i++)
    pipe.hset(k.stats(i), {
      added: 60,
      completed: 58,
      failed: 3,
      retried: 2,
      dead: 1,
      pt9: 40,
      pt12: 15,
      pt17: 3,
    });
  await pipe.exec();
}
const after = Number(/used_memory:(\d+)/.exec(await c.info("memory"))?.[1]);
console.log(`8 days of stats hashes (11,521 minutes): ${((after - before) / 1024 / 1024).toFixed(1)} MB`);

for (const range of ["1h", "24h", "7d"] as const) {
  const ms: number[] = [];
  let points = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    points = (await queueHistory(c, "bench", range, { prefix: "rq", now })).points.length;
    ms.push(performance.now() - t);
  }
  const cold = ms[0];
  const warm = ms.slice(1).sort((a, b) => a - b);
  console.log(
    `history ${range}: first read ${cold.toFixed(0)} ms, then median ${warm[1].toFixed(0)} ms (settled steps kept), ${points} points`,
  );
}
await c.quit();
await server.stop();
