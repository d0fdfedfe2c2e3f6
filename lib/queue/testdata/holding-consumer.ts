/**
 * A consumer in a child process for the crash tests (lib/queue/prefetch-crash.test.ts): it
 * takes QUEUE with concurrency 1 and PREFETCH jobs leased ahead. A job whose data says
 * `{ hold: true }` never finishes; any other finishes at once. Each handler start is printed as
 * "started <id>" so the test knows what ran before it SIGKILLs this process.
 */
import { parseConfig } from "../../config.ts";
import { createQueue } from "../index.ts";

const q = createQueue(process.env.QUEUE ?? "", { config: parseConfig(process.env) });
q.ctx.client.on("error", () => {});
q.process(
  (job) => {
    process.stdout.write(`started ${job.id}\n`);
    return (job.data as { hold?: boolean }).hold ? new Promise(() => {}) : undefined;
  },
  { concurrency: 1, prefetch: Number(process.env.PREFETCH ?? 4), leaseMs: Number(process.env.LEASE_MS) },
);
