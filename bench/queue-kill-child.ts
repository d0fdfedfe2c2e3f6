/**
 * One consumer process of bench/queue-kill.ts:
 *   tsx bench/queue-kill-child.ts <requeue|bullmq> <redis url> <queue> <killAt> <concurrency>
 * Each handler records its job's number (RPUSH, awaited) when it has done its work; the
 * `killAt`-th handler of this process then SIGKILLs the process before returning, so that job's
 * handler has ended and its acknowledgement was never sent (nor those of other handlers whose
 * acknowledgements were still pending). killAt 0: never kill (the consumer that finishes up).
 */
import { Worker as BullWorker } from "bullmq";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";

/** Lease (Requeue) and lock (BullMQ) duration here: short, so a killed consumer's jobs come back soon. */
export const KILL_LEASE_MS = 1000;
export const ranKey = (queue: string) => `bench-kill:${queue}:ran`;

async function main(): Promise<void> {
  const [lib, url, queue, killAtArg, concurrencyArg] = process.argv.slice(2);
  const killAt = Number(killAtArg);
  const concurrency = Number(concurrencyArg);
  const recorder = createRedisFromUrl(url);
  let ended = 0;
  const handle = async (i: number) => {
    await recorder.rpush(ranKey(queue), String(i));
    if (++ended === killAt) process.kill(process.pid, "SIGKILL");
  };
  if (lib === "requeue") {
    const q = createQueue(queue, { config: parseConfig({ REDIS_URL: url }) });
    q.process<{ i: number }>((job) => handle(job.data.i), { concurrency, leaseMs: KILL_LEASE_MS });
  } else {
    const u = new URL(url);
    new BullWorker(queue, (job) => handle(job.data.i), {
      connection: { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null },
      concurrency,
      lockDuration: KILL_LEASE_MS,
      stalledInterval: KILL_LEASE_MS,
      maxStalledCount: 2, // a stalled job comes back up to twice, as 3 attempts let Requeue's reclaim
    });
  }
}

if (process.argv[1]?.endsWith("queue-kill-child.ts")) void main();
