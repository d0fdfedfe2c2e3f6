/**
 * The consumer's conversation with Redis. A lease call asks for as many jobs as there are free
 * slots and starts their handlers as soon as it is answered; the outcomes that have piled up
 * meanwhile go in one pipeline (complete + fail), up to two such pipelines in flight, sent right
 * after the lease so Redis applies them while this process runs handlers. That is what batches
 * acknowledgements and fetches under load; at concurrency 1 a job still costs one round trip.
 * On an empty queue it sleeps (growing to `pollMs`) until a handler finishes or a retry it
 * scheduled (or the earliest one the lease call saw) falls due.
 */
import type { Consumer, Running } from "./consumer.ts";
import { completeKeys, deadKeys } from "./context.ts";
import { RC } from "./errors.ts";
import type { Job } from "./job.ts";
import { pipeScript, runScript, scriptPipeline } from "./scripts.ts";

/** Most jobs leased in one call (keeps each script call short). */
const MAX_LEASE = 200;
/** How many due retries a lease call promotes at most. */
const PROMOTE_LIMIT = 1000;

export interface PumpState {
  consumer: Consumer;
  concurrency: number;
  /** jobs leased ahead of free slots */
  prefetch: number;
  /** handlers running now */
  running: number;
  /** leased, waiting for a slot (also in inHand) */
  waiting: Running[];
  leaseMs: number;
  timeoutMs: number;
  pollMs: number;
  promoteIntervalMs: number;
  onError: (err: Error) => void;
  inHand: Map<string, Running>;
  completions: [string, number][];
  failures: (string | number)[][];
  /** prefetched jobs whose handlers started: told to Redis with the next lease call */
  starts: Running[];
  stopping: boolean;
  wake: () => void;
  lastPromote: number;
  nextDueAt: number;
}

/** Waits `ms` or until `s.wake()`; a wait that is already over yields to I/O only (no 1 ms timer). */
function sleep(s: PumpState, ms: number): Promise<void> {
  if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      s.wake = () => {};
      resolve();
    }
    s.wake = done;
  });
}

function toJob(c: Consumer, f: (string | number)[], i: number): { run: Running; error?: unknown } {
  const run: Running = {
    job: {
      id: String(f[i]),
      queue: c.ctx.name,
      data: undefined,
      metadata: {},
      attempt: Number(f[i + 3]),
      maxAttempts: Number(f[i + 4]),
      createdAt: Number(f[i + 7]),
    } as Job,
    backoffBaseMs: Number(f[i + 5]),
    backoffMaxMs: Number(f[i + 6]),
    settled: false,
  };
  try {
    run.job.data = JSON.parse(String(f[i + 1]));
    if (f[i + 2] !== "") run.job.metadata = JSON.parse(String(f[i + 2]));
  } catch (error) {
    return { run, error };
  }
  return { run };
}

function applyCompletions(s: PumpState, codes: number[]): void {
  for (const rc of codes) {
    if (rc === RC.OK) s.consumer.counters.completed++;
    else s.consumer.counters.leaseLost++;
  }
}

function applyFailures(s: PumpState, sent: (string | number)[][], codes: number[]): void {
  const now = Date.now();
  codes.forEach((rc, i) => {
    if (rc < 0) {
      s.consumer.counters.leaseLost++;
      return;
    }
    s.consumer.counters.failed++;
    if (rc === RC.DEAD) s.consumer.counters.deadLettered++;
    if (rc === RC.RETRY) s.nextDueAt = Math.min(s.nextDueAt, now + Number(sent[i][3]));
  });
}

function startLeased(s: PumpState, flat: (string | number)[], startNow: number): number {
  // first element: when the earliest retry left falls due (a wake-up hint), or -1
  const nextDue = Number(flat[0]);
  if (nextDue >= 0) s.nextDueAt = Math.min(s.nextDueAt, nextDue);
  for (let i = 1; i < flat.length; i += 8) {
    const { run, error } = toJob(s.consumer, flat, i);
    run.prefetched = (i - 1) / 8 >= startNow; // marked `pf` by the lease script
    if (error === undefined) s.consumer.accept(run);
    else s.consumer.startCorrupt(run, error);
  }
  return (flat.length - 1) / 8;
}

/**
 * Prefetched jobs whose handlers started and are still running: Redis must learn they started,
 * or a reclaim after a crash would refund their attempt. A job that already finished needs no
 * word: its outcome (complete or fail) ends its lease and mark anyway.
 */
function pendingStarts(s: PumpState): Running[] {
  if (s.starts.length === 0) return s.starts;
  s.starts = s.starts.filter((r) => !r.settled && s.inHand.get(r.job.id) === r);
  return s.starts;
}

/**
 * Leases up to `want` jobs and starts them; `replied` runs before the handlers start. The jobs
 * beyond the free slots are leased as prefetched (their attempt is refunded if this process
 * dies before they start), and the starts of earlier prefetched jobs ride along.
 */
async function leaseTurn(s: PumpState, want: number, replied: () => void): Promise<number> {
  const { client, keys, settings } = s.consumer.ctx;
  const now = Date.now();
  const startNow = Math.max(0, s.concurrency - s.running - s.waiting.length);
  const started = pendingStarts(s).splice(0);
  const promote = now >= s.nextDueAt || now - s.lastPromote >= s.promoteIntervalMs;
  if (promote) {
    s.lastPromote = now;
    s.nextDueAt = Number.POSITIVE_INFINITY;
  }
  const args = [
    s.consumer.id,
    want,
    s.leaseMs,
    promote ? PROMOTE_LIMIT : 0,
    settings.dlqRetentionMs,
    settings.dlqMaxEntries,
    startNow,
    ...started.map((r) => r.job.id),
  ];
  let reply: (string | number)[];
  try {
    reply = await runScript<(string | number)[]>(client, "lease", deadKeys(keys), args);
  } catch (err) {
    s.starts.push(...started); // told with the next lease call
    throw err;
  }
  replied();
  return startLeased(s, reply, startNow);
}

/** Completes and fails the jobs whose handlers finished, in one pipeline. */
async function outcomeTurn(s: PumpState, completions: [string, number][], failures: (string | number)[][]) {
  const { client, keys, settings } = s.consumer.ctx;
  const id = s.consumer.id;
  const pipeline = scriptPipeline(client);
  if (completions.length)
    pipeScript(pipeline, "complete", completeKeys(keys), [
      id,
      settings.completedMaxEntries,
      ...completions.flat(),
    ]);
  if (failures.length)
    pipeScript(pipeline, "fail", deadKeys(keys), [
      id,
      settings.dlqRetentionMs,
      settings.dlqMaxEntries,
      ...failures.flat(),
    ]);
  const replies = (await pipeline.exec()) ?? [];
  const [first, second] = replies;
  const results = completions.length ? { c: first, f: second } : { c: undefined, f: first };
  if (results.c) {
    if (results.c[0]) {
      s.completions.push(...completions);
      s.onError(results.c[0]);
    } else applyCompletions(s, results.c[1] as number[]);
  }
  if (results.f) {
    if (results.f[0]) {
      s.failures.push(...failures);
      s.onError(results.f[0]);
    } else applyFailures(s, failures, results.f[1] as number[]);
  }
}

/** Outcome pipelines in flight at once; a lease call may run beside them. */
const MAX_TURNS = 2;

/**
 * Runs until the consumer stops and every outcome in hand is flushed. A lease call is sent
 * first and answered on its own, so handlers start while Redis still applies the outcomes.
 */
export async function pump(s: PumpState): Promise<void> {
  let idleMs = 1;
  let errorMs = 50;
  let retryAt = 0;
  let outcomeTurns = 0;
  let leasing = 0;
  let leaseInFlight = false;
  let idle = false; // the last lease found nothing
  const failed = (err: unknown) => {
    s.onError(err as Error);
    retryAt = Date.now() + errorMs;
    errorMs = Math.min(errorMs * 2, 2000);
  };
  for (;;) {
    const now = Date.now();
    const hasOutcomes = s.completions.length > 0 || s.failures.length > 0;
    const room = s.concurrency + s.prefetch - s.inHand.size - leasing;
    const want = s.stopping ? 0 : Math.max(0, Math.min(MAX_LEASE, room));
    // starts to tell Redis make a lease call worth sending even with nothing to lease (stopping)
    const starts = pendingStarts(s).length > 0;
    if (s.stopping && !hasOutcomes && s.inHand.size === 0 && outcomeTurns === 0 && !leaseInFlight) return;
    if (now < retryAt) {
      await sleep(s, retryAt - now);
      continue;
    }
    let started = false;
    if ((want > 0 || starts) && !leaseInFlight) {
      if (idle && !hasOutcomes && !starts) {
        // Nothing was ready: wait for a handler to finish, a retry to fall due, or the next poll.
        idle = false;
        await sleep(s, Math.min(idleMs, s.nextDueAt - now));
        idleMs = Math.min(idleMs * 2, s.pollMs);
        continue;
      }
      leaseInFlight = true;
      leasing += want;
      let open = true;
      const replied = () => {
        if (!open) return;
        open = false;
        leaseInFlight = false;
        leasing -= want;
      };
      leaseTurn(s, want, replied)
        .then((leased) => {
          errorMs = 50;
          idle = want > 0 && leased === 0; // a call that only told starts says nothing of the queue
          if (leased > 0) idleMs = 1;
        })
        .catch(failed)
        .finally(() => {
          replied();
          s.wake();
        });
      started = true;
    }
    if (hasOutcomes && outcomeTurns < MAX_TURNS) {
      const completions = s.completions.splice(0);
      const failures = s.failures.splice(0);
      outcomeTurns++;
      outcomeTurn(s, completions, failures)
        .then(() => {
          errorMs = 50;
        })
        .catch((err) => {
          s.completions.push(...completions);
          s.failures.push(...failures);
          failed(err);
        })
        .finally(() => {
          outcomeTurns--;
          s.wake();
        });
      started = true;
    }
    if (!started) await sleep(s, s.pollMs);
  }
}
