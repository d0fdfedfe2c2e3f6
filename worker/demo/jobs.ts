/**
 * The demo's job side: a consumer per queue running the seed's processors (but for the queues a
 * Python service consumes: worker/demo/python.ts), and producers that
 * add DEMO_JOBS_PER_SECOND jobs over the four queues (plus DEMO_BURST at start, so the charts
 * and the DLQ have data at once). Counts what it did for the status line.
 */
import { createQueue } from "../../lib/queue/index.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { Lookups } from "./lookups.ts";
import { makePayload, type Payload, producerMeta } from "./payloads.ts";
import { processJob } from "./processors.ts";
import { weighted } from "./rand.ts";
import { type DemoQueue, type DemoSettings, QUEUES } from "./settings.ts";

/** Documents are the application's main workload: 40 % of the jobs. */
const SHARE: Record<DemoQueue, number> = { documents: 4, audio: 2, video: 2, graph: 2 };

export interface JobCounts {
  added: number;
  completed: number;
  failedAttempts: number;
}

export async function startJobs(
  redis: RedisClient,
  s: DemoSettings,
  lookups: Lookups,
  onError: (err: unknown) => void,
  inPython: readonly DemoQueue[] = [],
) {
  const counts: JobCounts = { added: 0, completed: 0, failedAttempts: 0 };
  const queues = new Map(QUEUES.map((name) => [name, createQueue(name, { client: redis })]));

  for (const [name, queue] of queues) {
    if (inPython.includes(name)) continue;
    queue.process(
      async (job) => {
        try {
          const result = await processJob(name, job.data as Payload, {
            transientRate: s.DEMO_TRANSIENT_RATE,
            jobKey: `${name}:${job.id}`,
            status: (id, status, progress) =>
              lookups.jobStatusChanged(id, status, progress, name === "graph"),
            documentChanged: (id) => lookups.documentChanged(id),
          });
          counts.completed++;
          return result;
        } catch (err) {
          counts.failedAttempts++;
          throw err;
        }
      },
      { concurrency: s.DEMO_CONCURRENCY, onError, timeoutMs: 30_000 },
    );
  }

  async function addSome(n: number) {
    const byQueue = new Map<DemoQueue, Payload[]>();
    for (let i = 0; i < n; i++) {
      const q = weighted(SHARE);
      byQueue.set(q, [...(byQueue.get(q) ?? []), makePayload(q, s)]);
    }
    await Promise.all(
      [...byQueue].map(async ([q, payloads]) => {
        await queues
          .get(q)!
          .addBatch(payloads.map((data) => ({ data, opts: { metadata: producerMeta(q) } })));
        counts.added += payloads.length;
      }),
    );
  }

  await addSome(s.DEMO_BURST).catch(onError);
  let owed = 0;
  const timer = setInterval(() => {
    owed += s.DEMO_JOBS_PER_SECOND / 4;
    const n = Math.floor(owed);
    owed -= n;
    if (n > 0) addSome(n).catch(onError);
  }, 250);

  return {
    counts,
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
    },
  };
}
