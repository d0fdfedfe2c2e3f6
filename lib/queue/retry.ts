/**
 * Retries, in one place: what a failed attempt becomes (the retry decision) and how a job waiting
 * to retry gets back to ready (promotion).
 *
 * The decision: a failure is "failed" (retried while attempts are left — fail-10.lua counts them),
 * "unrecoverable" or "corrupt" (straight to the DLQ). A retried job waits its backoff: by default
 * base × 2^(attempt−1), capped, then jittered downwards by up to `jitter` (0.2 = up to 20 %
 * earlier) so jobs that failed together do not all come back in the same millisecond. A job
 * stores its base and cap (`bb`, `bm` in the job hash); "fixed" is exponential with the cap equal
 * to the base.
 *
 * Promotion: due retries and delayed jobs move from the retry set to ready inside a consumer's
 * lease call (PromoteClock says when) and in the worker's sweep (promoteDue).
 */
import { promoteKeys, type QueueContext } from "./context.ts";
import { CorruptJobError, UnrecoverableError } from "./errors.ts";
import type { BackoffOptions } from "./job.ts";
import { runScript } from "./scripts.ts";
import { tryOr } from "./thrown.ts";
import type { DeadReason } from "./types.ts";

/** Base and cap as the job hash stores them. */
export function backoffFields(opts: BackoffOptions, defaultMaxMs: number): { baseMs: number; maxMs: number } {
  const baseMs = Math.max(0, Math.round(opts.baseMs));
  if (opts.type === "fixed") return { baseMs, maxMs: baseMs };
  return { baseMs, maxMs: Math.max(baseMs, Math.round(opts.maxMs ?? defaultMaxMs)) };
}

/** The un-jittered delay after failed attempt number `attempt` (1-based). */
export function exponentialDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(Math.max(attempt, 1) - 1, 52);
  return Math.min(maxMs, baseMs * 2 ** exp);
}

/**
 * The delay to wait after failed attempt `attempt`, with jitter. `random` is injectable so the
 * tests can pin it; it must return a number in [0, 1).
 */
export function retryDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  jitter = 0.2,
  random: () => number = Math.random,
): number {
  const delay = exponentialDelay(attempt, baseMs, maxMs);
  return Math.max(0, Math.round(delay * (1 - jitter * random())));
}

/**
 * The retry decision for a failed attempt: its reason, and the delay before the next attempt.
 * Only "failed" is retried (fail-10.lua dead-letters it when no attempts are left); delay -1:
 * never (unrecoverable, corrupt).
 */
export function retryPlan(
  err: unknown,
  job: { attempt: number; backoffBaseMs: number; backoffMaxMs: number },
  random: () => number = Math.random,
): { reason: DeadReason; delay: number } {
  if (err instanceof CorruptJobError) return { reason: "corrupt", delay: -1 };
  const name = tryOr(() => (err as Error | undefined)?.name, undefined); // a getter may throw
  if (err instanceof UnrecoverableError || name === "UnrecoverableError")
    return { reason: "unrecoverable", delay: -1 };
  return {
    reason: "failed",
    delay: retryDelay(job.attempt, job.backoffBaseMs, job.backoffMaxMs, 0.2, random),
  };
}

/** Most due retries one script call promotes (a lease call's or the sweep's). */
const PROMOTE_LIMIT = 1000;

/**
 * When a consumer's lease call also promotes due retries: at least every `intervalMs`, and as
 * soon as a retry it knows of falls due (one it scheduled, or the earliest the lease call saw).
 */
export class PromoteClock {
  private last = 0;
  nextDueAt = Number.POSITIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  /** A retry falls due at `at` (ms). */
  dueAt(at: number): void {
    this.nextDueAt = Math.min(this.nextDueAt, at);
  }

  /** The promote limit for a lease call sent at `now`: PROMOTE_LIMIT, or 0 (not this time). */
  limit(now: number): number {
    if (now < this.nextDueAt && now - this.last < this.intervalMs) return 0;
    this.last = now;
    this.nextDueAt = Number.POSITIVE_INFINITY;
    return PROMOTE_LIMIT;
  }
}

/** The worker's sweep: retries and delayed jobs that are due → ready, in bounded calls. */
export async function promoteDue(ctx: QueueContext, maxRounds = 10): Promise<{ promoted: number }> {
  let promoted = 0;
  for (let i = 0; i < maxRounds; i++) {
    const n = await runScript<number>(ctx.client, "promote", promoteKeys(ctx.keys), [PROMOTE_LIMIT]);
    promoted += n;
    if (n < PROMOTE_LIMIT) break;
  }
  return { promoted };
}
