/**
 * The consumer's single conversation with Redis. Each turn sends one pipeline — complete the
 * jobs that succeeded, fail the ones that threw, lease as many as there are free slots — and
 * starts handlers for what it leased. Outcomes that arrive during a turn wait for the next one,
 * which is what batches acknowledgements under load. On an empty queue it sleeps (growing to
 * `pollMs`) until a handler finishes or a retry it scheduled falls due.
 */
import type { Consumer, Running } from "./consumer.ts";
import { completeKeys, deadKeys } from "./context.ts";
import { RC } from "./errors.ts";
import type { Job } from "./job.ts";
import { pipeScript, scriptPipeline } from "./scripts.ts";

/** Most jobs leased in one call (keeps each script call short). */
const MAX_LEASE = 200;
/** How many due retries a lease call promotes at most. */
const PROMOTE_LIMIT = 1000;

export interface PumpState {
  consumer: Consumer;
  concurrency: number;
  leaseMs: number;
  timeoutMs: number;
  pollMs: number;
  promoteIntervalMs: number;
  onError: (err: Error) => void;
  inHand: Map<string, Running>;
  completions: [string, number][];
  failures: (string | number)[][];
  stopping: boolean;
  wake: () => void;
  lastPromote: number;
  nextDueAt: number;
}

function sleep(s: PumpState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
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

function startLeased(s: PumpState, flat: (string | number)[]): number {
  // first element: when the earliest retry left falls due (a wake-up hint), or -1
  const nextDue = Number(flat[0]);
  if (nextDue >= 0) s.nextDueAt = Math.min(s.nextDueAt, nextDue);
  for (let i = 1; i < flat.length; i += 8) {
    const { run, error } = toJob(s.consumer, flat, i);
    if (error === undefined) s.consumer.start(run);
    else s.consumer.startCorrupt(run, error);
  }
  return (flat.length - 1) / 8;
}

/** One turn: returns how many jobs it leased, or -1 when Redis could not be reached. */
async function turn(
  s: PumpState,
  completions: [string, number][],
  failures: (string | number)[][],
  want: number,
  replied: () => void,
) {
  const { client, keys, settings } = s.consumer.ctx;
  const id = s.consumer.id;
  const pipeline = scriptPipeline(client);
  const order: string[] = [];
  if (completions.length) {
    pipeScript(pipeline, "complete", completeKeys(keys), [
      id,
      settings.completedMaxEntries,
      ...completions.flat(),
    ]);
    order.push("complete");
  }
  if (failures.length) {
    const args = [id, settings.dlqRetentionMs, settings.dlqMaxEntries, ...failures.flat()];
    pipeScript(pipeline, "fail", deadKeys(keys), args);
    order.push("fail");
  }
  if (want > 0) {
    const now = Date.now();
    const promote = now >= s.nextDueAt || now - s.lastPromote >= s.promoteIntervalMs;
    if (promote) {
      s.lastPromote = now;
      s.nextDueAt = Number.POSITIVE_INFINITY;
    }
    const args = [
      id,
      want,
      s.leaseMs,
      promote ? PROMOTE_LIMIT : 0,
      settings.dlqRetentionMs,
      settings.dlqMaxEntries,
    ];
    pipeScript(pipeline, "lease", deadKeys(keys), args);
    order.push("lease");
  }
  const replies = await pipeline.exec();
  // Free the turn's slot before handlers start, so their outcomes can ride the next turn at once.
  replied();
  let leased = 0;
  replies?.forEach(([err, reply], i) => {
    const what = order[i];
    if (err) {
      s.onError(err);
      if (what === "complete") s.completions.push(...completions);
      if (what === "fail") s.failures.push(...failures);
      return;
    }
    if (what === "complete") applyCompletions(s, reply as number[]);
    else if (what === "fail") applyFailures(s, failures, reply as number[]);
    else leased = startLeased(s, reply as (string | number)[]);
  });
  return leased;
}

/** Turns in flight at once: a second one overlaps this process's work with Redis's. */
const MAX_TURNS = 2;

/** Runs until the consumer stops and every outcome in hand is flushed. */
export async function pump(s: PumpState): Promise<void> {
  let idleMs = 1;
  let errorMs = 50;
  let retryAt = 0;
  let inFlight = 0;
  let leasing = 0;
  let idle = false; // the last lease found nothing
  for (;;) {
    const now = Date.now();
    const hasOutcomes = s.completions.length > 0 || s.failures.length > 0;
    const want = s.stopping ? 0 : Math.min(MAX_LEASE, s.concurrency - s.inHand.size - leasing);
    if (s.stopping && !hasOutcomes && s.inHand.size === 0 && inFlight === 0) return;
    if (now < retryAt) {
      await sleep(s, retryAt - now);
      continue;
    }
    // Only outcomes justify a second turn; a lease alone waits for the queue to have work.
    const leaseOnly = !hasOutcomes && want > 0;
    if (inFlight >= MAX_TURNS || (!hasOutcomes && want <= 0) || (leaseOnly && inFlight > 0)) {
      await sleep(s, s.pollMs);
      continue;
    }
    if (leaseOnly && idle) {
      // Nothing was ready: wait for a handler to finish, a retry to fall due, or the next poll.
      idle = false;
      await sleep(s, Math.min(idleMs, s.nextDueAt - now));
      idleMs = Math.min(idleMs * 2, s.pollMs);
      continue;
    }
    const completions = s.completions.splice(0);
    const failures = s.failures.splice(0);
    const leaseNow = Math.max(0, want);
    inFlight++;
    leasing += leaseNow;
    let done = false;
    const replied = () => {
      if (done) return;
      done = true;
      inFlight--;
      leasing -= leaseNow;
    };
    turn(s, completions, failures, leaseNow, replied)
      .then((leased) => {
        errorMs = 50;
        if (leased > 0 || hasOutcomes) idleMs = 1;
        if (leaseNow > 0) idle = leased === 0 && !hasOutcomes;
      })
      .catch((err) => {
        s.completions.push(...completions);
        s.failures.push(...failures);
        s.onError(err as Error);
        retryAt = Date.now() + errorMs;
        errorMs = Math.min(errorMs * 2, 2000);
      })
      .finally(() => {
        replied();
        s.wake();
      });
  }
}
