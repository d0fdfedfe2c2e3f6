/**
 * From totals over the alert window to the alert values. Pure arithmetic, kept apart
 * from where the totals come from (inputs.ts), so each definition is easy to read and test.
 * A ratio with nothing to divide by is null ("no data"), never 0 or 100 %.
 */
import type { AlertValues } from "./types.ts";

export interface QueueTotals {
  /** Dead letters in the largest DLQ now, and the age (ms) of the oldest dead letter anywhere. */
  largestDlq: number;
  oldestDeadAgeMs: number | null;
  /** The longest wait (ms) of a job next in line in any queue now; null when nothing waits. */
  oldestWaitingMs: number | null;
  /**
   * With a DLQ cap: the largest (size + entries the cap dropped in the window) ÷ cap over the
   * queues; null without a cap. A drop makes it at least 1 (100 %).
   */
  nearCap: number | null;
  /** Counters summed over every queue and every minute of the window. */
  retried: number;
  retrySucceeded: number;
  retryDead: number;
  completed: number;
  deadLettered: number;
}

export interface CacheTotals {
  hits: number;
  misses: number;
  /** Cache writes in the window (sets, or misses filled by a loader). */
  writes: number;
  /** p99 call latency over the window (ms), or null without calls. */
  latencyP99Ms: number | null;
}

export interface RedisTotals {
  usedMemory: number | null;
  maxMemory: number | null;
  /** Keys Redis evicted during the window. */
  evicted: number | null;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function measure(q: QueueTotals, c: CacheTotals, r: RedisTotals): AlertValues {
  return {
    dlq_size: q.largestDlq,
    // Per job, as an operator reads it: of the jobs that needed a retry and finished, the share
    // that succeeded in the end (however many retries it took) rather than dying. Jobs never
    // retried (a first-time success, maxAttempts 1, unrecoverable at once) do not count.
    retry_success_rate: ratio(q.retrySucceeded, q.retrySucceeded + q.retryDead),
    avg_retries: ratio(q.retried, q.completed + q.deadLettered),
    dlq_oldest_age: q.oldestDeadAgeMs === null ? null : q.oldestDeadAgeMs / 3_600_000,
    dlq_near_cap: q.nearCap,
    cache_hit_rate: ratio(c.hits, c.hits + c.misses),
    redis_memory: r.usedMemory !== null && r.maxMemory ? r.usedMemory / r.maxMemory : null,
    eviction_rate: r.evicted === null ? null : ratio(r.evicted, c.writes),
    cache_latency: c.latencyP99Ms,
    queue_latency: q.oldestWaitingMs === null ? null : q.oldestWaitingMs / 1000,
  };
}
