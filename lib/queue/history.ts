/**
 * A queue's history for the console's charts (GET /api/v1/queues/{queue}/history): added,
 * completed, failed, retried and dead per minute, and processing time p50/p95, over 1 h, 24 h or
 * 7 d, from the per-minute stats hashes (kept 8 days). Only complete minutes count: the minute in
 * progress is left out, so the line never drops towards zero at its end.
 *
 * Minutes are folded into steps (1 min for 1 h, 15 min for 24 h, 2 h for 7 d: ≤ 96 points), steps
 * aligned to UTC. Counts are shown as jobs per minute averaged over the minutes of the step the
 * range covers (the newest step may hold fewer than its length), so every range has the same
 * unit. Percentiles come from the step's summed histogram, so they are exact to the bucket.
 *
 * Cost: every minute of the range is one HGETALL, read in pipelined batches (stats.ts,
 * readMinuteHashes): 60 for 1 h, 1,440 for 24 h, 10,080 for 7 d (bench figures in docs/queue.md).
 * No rollups are written: they would cost every ack an extra write to save a read an admin makes
 * now and then.
 */
import type { RedisClient } from "../redis/connection.ts";
import { minuteOf } from "../redis/keys.ts";
import { addDurations, durationPercentiles } from "./durations.ts";
import {
  HISTORY_COUNTS,
  HISTORY_RANGES,
  type HistoryPoint,
  type HistoryRange,
  type QueueHistory,
} from "./history-types.ts";
import { type KeyOptions, readMinuteHashes } from "./stats.ts";

export async function queueHistory(
  client: RedisClient,
  queue: string,
  range: HistoryRange,
  o: KeyOptions & { now?: number } = {},
): Promise<QueueHistory> {
  const { minutes, stepMinutes } = HISTORY_RANGES[range];
  const last = minuteOf(o.now ?? Date.now()) - 1; // the last complete minute
  const first = last - minutes + 1;
  const hashes = await readMinuteHashes(client, queue, first, last, o);
  const steps = new Map<
    number,
    { sums: Record<(typeof HISTORY_COUNTS)[number], number>; minutes: number; hist: Map<number, number> }
  >();
  for (const { minute, hash } of hashes) {
    const start = Math.floor(minute / stepMinutes) * stepMinutes;
    let s = steps.get(start);
    if (!s) {
      s = { sums: { added: 0, completed: 0, failed: 0, retried: 0, dead: 0 }, minutes: 0, hist: new Map() };
      steps.set(start, s);
    }
    s.minutes++;
    for (const f of HISTORY_COUNTS) s.sums[f] += Number(hash[f] ?? 0);
    addDurations(s.hist, hash);
  }
  const points = [...steps].map(([start, s]) => {
    const p = durationPercentiles(s.hist);
    const point = { t: start * 60_000, minutes: s.minutes, p50Ms: p.p50, p95Ms: p.p95 } as HistoryPoint;
    for (const f of HISTORY_COUNTS) point[f] = s.sums[f] / s.minutes;
    return point;
  });
  return { queue, range, from: first * 60_000, to: last * 60_000, stepMs: stepMinutes * 60_000, points };
}
