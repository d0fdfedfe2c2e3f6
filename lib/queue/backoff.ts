/**
 * Backoff: how long a failed job waits in the retry set before its next attempt.
 *
 * A small pure table of strategies. The default is exponential: base × 2^(attempt−1), capped,
 * then jittered downwards by up to `jitter` (0.2 = up to 20 % earlier) so jobs that failed
 * together do not all come back in the same millisecond. A job stores its base and cap
 * (`bb`, `bm` in the job hash); "fixed" is exponential with the cap equal to the base.
 */

export interface BackoffOptions {
  /** "exponential" (default) or "fixed" (every retry waits `baseMs`). */
  type?: "exponential" | "fixed";
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Longest delay, in ms (exponential only). */
  maxMs?: number;
}

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
