/**
 * The latency histogram: geometric buckets (each 20 % wider than the last, from 10 µs to ~20 s),
 * stored as hash fields `h<index>` of a per-minute stats bucket. Buckets of many minutes or many
 * processes add up, and percentiles are read from the sum.
 */

const BASE_US = 10;
const FACTOR = 1.2;
const LOG_FACTOR = Math.log(FACTOR);
export const BUCKETS = 80;

/** The bucket a latency (in µs) falls in: bucket i holds (upper(i-1), upper(i)]. */
export function bucketOf(us: number): number {
  if (us <= BASE_US) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(us / BASE_US) / LOG_FACTOR));
}

/** The upper bound of a bucket, in µs. */
const upperUs = (bucket: number) => BASE_US * FACTOR ** bucket;

/** The p-th percentile (0 < p ≤ 1) in ms, interpolated inside its bucket; 0 when empty. */
export function percentileMs(counts: ReadonlyMap<number, number>, p: number): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return 0;
  const rank = p * total;
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    const n = counts.get(bucket) ?? 0;
    if (seen + n >= rank) {
      const lower = bucket === 0 ? 0 : upperUs(bucket - 1);
      const within = n === 0 ? 1 : (rank - seen) / n;
      return (lower + (upperUs(bucket) - lower) * within) / 1000;
    }
    seen += n;
  }
  return upperUs(BUCKETS - 1) / 1000;
}
