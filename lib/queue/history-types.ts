/**
 * The shapes of a queue's history (GET /api/v1/queues/{queue}/history), apart from the code that
 * reads it (history.ts) so the console's browser code can import the ranges without Redis.
 */

export const HISTORY_RANGES = {
  "1h": { minutes: 60, stepMinutes: 1 },
  "24h": { minutes: 24 * 60, stepMinutes: 15 },
  "7d": { minutes: 7 * 24 * 60, stepMinutes: 120 },
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
export const HISTORY_RANGE_NAMES = Object.keys(HISTORY_RANGES) as HistoryRange[];

/** The counters charted, per minute. */
export const HISTORY_COUNTS = ["added", "completed", "failed", "retried", "dead"] as const;
type Counted = (typeof HISTORY_COUNTS)[number];

export type HistoryPoint = {
  /** start of the step, ms */
  t: number;
  /** complete minutes of the range in this step */
  minutes: number;
  /** processing time of the jobs completed in the step, ms; null when none completed */
  p50Ms: number | null;
  p95Ms: number | null;
} & Record<Counted, number>; // jobs per minute, averaged over `minutes`

export interface QueueHistory {
  queue: string;
  range: HistoryRange;
  /** first and last complete minute charted (start, ms) */
  from: number;
  to: number;
  stepMs: number;
  points: HistoryPoint[];
}
