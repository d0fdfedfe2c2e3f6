/**
 * Processing time: how long handlers ran, per minute, as a histogram in the queue's per-minute
 * stats hash. The consumer measures each job's handler time and passes it with the ack
 * (complete-5.lua), which adds 1 to the field `pt<bucket>` — no round trip of its own. Buckets
 * are 50 % wider each, from 1 ms to ~2 h (the last one takes everything longer): 40 possible
 * fields, of which a minute holds the few its jobs hit. Percentiles are read from summed counts.
 */
import { bucketIndex, type LogScale, percentileOf } from "../metrics/log-buckets.ts";

export const DURATION_SCALE: LogScale = { base: 1, factor: 1.5, buckets: 40 };
/** Field name prefix in the stats hash: `pt0` … `pt39`. */
export const DURATION_FIELD = "pt";
const FIELD = /^pt(\d{1,2})$/;

/** The bucket complete-5.lua counts a duration (ms) in; same formula as includes/duration.lua. */
export const durationBucket = (ms: number): number => bucketIndex(DURATION_SCALE, ms);

/** The Lua placeholders of includes/duration.lua, filled in from the scale above. */
export const DURATION_CONSTANTS = {
  __PT_BASE__: String(DURATION_SCALE.base),
  __PT_FACTOR__: String(DURATION_SCALE.factor),
  __PT_BUCKETS__: String(DURATION_SCALE.buckets),
};

/** Adds the `pt<i>` fields of one stats hash into `into` (bucket → count). */
export function addDurations(into: Map<number, number>, hash: Record<string, string>): void {
  for (const [field, value] of Object.entries(hash)) {
    const m = FIELD.exec(field);
    if (m) into.set(Number(m[1]), (into.get(Number(m[1])) ?? 0) + Number(value));
  }
}

export interface DurationPercentiles {
  /** ms; null when no job completed */
  p50: number | null;
  p95: number | null;
}

export function durationPercentiles(counts: ReadonlyMap<number, number>): DurationPercentiles {
  return {
    p50: percentileOf(DURATION_SCALE, counts, 0.5),
    p95: percentileOf(DURATION_SCALE, counts, 0.95),
  };
}
