/**
 * The cache's latency histogram: geometric buckets (each 20 % wider than the last, from 10 µs to
 * ~20 s), stored as hash fields `h<index>` of a per-minute stats bucket. The bucket math is shared
 * with the queue's processing time (lib/metrics/log-buckets.ts).
 */
import { bucketIndex, type LogScale, percentileOf } from "../metrics/log-buckets.ts";

const SCALE: LogScale = { base: 10, factor: 1.2, buckets: 80 };
export const BUCKETS = SCALE.buckets;

/** The bucket a latency (in µs) falls in: bucket i holds (upper(i-1), upper(i)]. */
export const bucketOf = (us: number): number => bucketIndex(SCALE, us);

/** The p-th percentile (0 < p ≤ 1) in ms, interpolated inside its bucket; 0 when empty. */
export const percentileMs = (counts: ReadonlyMap<number, number>, p: number): number =>
  (percentileOf(SCALE, counts, p) ?? 0) / 1000;
