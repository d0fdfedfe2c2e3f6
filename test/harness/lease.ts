/** Leases jobs with the lease script itself, for tests that hold leases no consumer runs (vitest and Playwright alike: no vitest import here). */
import { leaseKeys } from "../../lib/queue/context.ts";
import type { Queue } from "../../lib/queue/index.ts";
import { runScript } from "../../lib/queue/scripts.ts";

/**
 * Leases up to `n` jobs of `q` as consumer `who` for `leaseMs` with the lease script itself (no
 * consumer runs them): the ids and attempts leased, so a test can hold leases it controls.
 */
export async function leaseJobs(q: Queue, who: string, n: number, leaseMs = 60_000) {
  const s = q.ctx.settings;
  const reply = await runScript<(string | number)[]>(q.ctx.client, "lease", leaseKeys(q.ctx.keys), [
    who,
    n,
    leaseMs,
    0,
    s.dlqRetentionMs,
    0,
    n,
  ]);
  const jobs: { id: string; attempt: number }[] = [];
  // the reply: next retry due, the paused flag, then 8 fields per job (lease-11.lua)
  for (let i = 2; i < reply.length; i += 8)
    jobs.push({ id: String(reply[i]), attempt: Number(reply[i + 3]) });
  return jobs;
}
