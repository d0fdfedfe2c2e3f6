/**
 * A consumer process for test/poison-error.test.ts: runs the jobs of QUEUE with CONCURRENCY
 * handlers. A job { ms } sleeps that long and counts its run in Redis (`<QUEUE>:runs`, one hash
 * field per job id, so a second run shows); a job { poison: n } throws an Error whose message is
 * "password=hunter2-poison " and n characters of `token` repeated. On SIGTERM it closes the
 * queue, prints its counters as one JSON line and exits 0. A separate process, so a consumer
 * whose event loop never comes back fails the test by a timeout instead of hanging it.
 */
import { parseConfig } from "../../lib/config.ts";
import { createQueue } from "../../lib/queue/index.ts";
import { createRedis } from "../../lib/redis/connection.ts";

const env = process.env;
const config = parseConfig(env);
const client = createRedis(config);
const queue = createQueue(String(env.QUEUE), { client, config });
const runs = `${queue.ctx.keys.base}:runs`;

const consumer = queue.process<{ ms?: number; poison?: number }>(
  async (job) => {
    await client.hincrby(runs, job.id, 1);
    if (job.data.poison) {
      await new Promise((r) => setTimeout(r, 200)); // the other jobs are running by then
      throw new Error(`password=hunter2-poison ${"token".repeat(Math.ceil(job.data.poison / 5))}`);
    }
    await new Promise((r) => setTimeout(r, job.data.ms ?? 0));
  },
  { concurrency: Number(env.CONCURRENCY ?? 10), pollMs: 20 },
);

process.on("SIGTERM", async () => {
  await queue.close(5000);
  process.stdout.write(`${JSON.stringify(consumer.counters)}\n`);
  await client.quit();
  process.exit(0);
});
process.stdout.write("ready\n");
