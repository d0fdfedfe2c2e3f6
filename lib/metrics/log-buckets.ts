/**
 * Log-spaced histogram buckets, shared by the cache's call latency (lib/cache/histogram.ts) and
 * the queue's processing time (lib/queue/durations.ts). Bucket i holds values in
 * (upper(i-1), upper(i)], upper(i) = base × factor^i; the last bucket also holds everything above.
 * Counts of many minutes or processes add up bucket by bucket, so a percentile over any span is
 * read from the summed counts, never averaged from per-minute percentiles.
 */

export interface LogScale {
  /** upper bound of bucket 0, in the scale's unit */
  base: number;
  /** each bucket this much wider than the last */
  factor: number;
  buckets: number;
}

/** The bucket a value falls in. */
export function bucketIndex(scale: LogScale, v: number): number {
  if (!(v > scale.base)) return 0;
  return Math.min(scale.buckets - 1, Math.ceil(Math.log(v / scale.base) / Math.log(scale.factor)));
}

const upper = (scale: LogScale, bucket: number) => scale.base * scale.factor ** bucket;

/**
 * The p-th percentile (0 < p ≤ 1) of bucket counts, interpolated linearly inside its bucket, in
 * the scale's unit; null when the counts are empty.
 */
export function percentileOf(scale: LogScale, counts: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    const n = counts.get(bucket) ?? 0;
    if (seen + n >= rank) {
      const lower = bucket === 0 ? 0 : upper(scale, bucket - 1);
      const within = n === 0 ? 1 : (rank - seen) / n;
      return lower + (upper(scale, bucket) - lower) * within;
    }
    seen += n;
  }
  return upper(scale, scale.buckets - 1);
}
