/**
 * A queue's history for the console's charts (GET /api/v1/queues/{queue}/history): added,
 * completed, failed, retried and dead per minute, and processing time p50/p95, over 1 h, 24 h or
 * 7 d, from the per-minute stats hashes (kept 8 days). Only complete minutes count: the minute in
 * progress is left out, so the line never drops towards zero at its end.
 *
 * Minutes are folded into steps (1 min for 1 h, 15 min for 24 h, 2 h for 7 d: ≤ 97 points, the oldest
 * one cut by the range's start), steps
 * aligned to UTC. Counts are shown as jobs per minute averaged over the minutes of the step the
 * range covers (the newest step may hold fewer than its length), so every range has the same
 * unit. Percentiles come from the step's summed histogram, so they are exact to the bucket.
 *
 * Cost: every minute of the range is one HGETALL, read in pipelined batches (stats.ts,
 * readMinuteHashes): 60 for 1 h, 1,440 for 24 h, 10,080 for 7 d — once per process: whole steps
 * that are over are kept in memory (`settled`), so a refresh reads only the newest step or two
 * (bench/queue-history.ts). No rollups are written: they would cost every ack an extra write (and
 * every counting script more KEYS) to save a read an admin makes now and then.
 */
import { getConfig } from "../config.ts";
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

type Step = {
  sums: Record<(typeof HISTORY_COUNTS)[number], number>;
  minutes: number;
  hist: Map<number, number>;
};

function fold(
  hashes: { minute: number; hash: Record<string, string> }[],
  stepMinutes: number,
): Map<number, Step> {
  const steps = new Map<number, Step>();
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
  return steps;
}

function toPoint(start: number, s: Step): HistoryPoint {
  const p = durationPercentiles(s.hist);
  const point = { t: start * 60_000, minutes: s.minutes, p50Ms: p.p50, p95Ms: p.p95 } as HistoryPoint;
  for (const f of HISTORY_COUNTS) point[f] = s.sums[f] / s.minutes;
  return point;
}

/**
 * Whole steps that ended more than a minute ago, by prefix, queue, step length and start. Their
 * hashes get no more writes (every script counts into the minute it runs in; the extra minute
 * covers a call whose key was named just before a minute ended), so each is read from Redis once
 * per process and a 7-day chart refreshed later reads only its newest step. Bounded: oldest out.
 */
const settled = new Map<string, HistoryPoint>();
const SETTLED_MAX = 50_000;
function remember(key: string, point: HistoryPoint) {
  if (settled.size >= SETTLED_MAX) settled.delete(settled.keys().next().value as string);
  settled.set(key, point);
}

export async function queueHistory(
  client: RedisClient,
  queue: string,
  range: HistoryRange,
  o: KeyOptions & { now?: number } = {},
): Promise<QueueHistory> {
  const { minutes, stepMinutes } = HISTORY_RANGES[range];
  const last = minuteOf(o.now ?? Date.now()) - 1; // the last complete minute
  const first = last - minutes + 1;
  const id = `${o.prefix ?? getConfig().REDIS_KEY_PREFIX}\u0000${queue}\u0000${stepMinutes}\u0000`;
  const points = new Map<number, HistoryPoint>();
  // runs of consecutive minutes not covered by a settled step, read from Redis
  const runs: [number, number][] = [];
  for (let start = Math.floor(first / stepMinutes) * stepMinutes; start <= last; start += stepMinutes) {
    const whole = start >= first && start + stepMinutes - 1 <= last - 1;
    const known = whole ? settled.get(id + start) : undefined;
    if (known) points.set(start, known);
    else {
      const from = Math.max(first, start);
      const to = Math.min(last, start + stepMinutes - 1);
      const run = runs.at(-1);
      if (run && run[1] === from - 1) run[1] = to;
      else runs.push([from, to]);
    }
  }
  for (const [from, to] of runs) {
    const read = fold(await readMinuteHashes(client, queue, from, to, o), stepMinutes);
    for (const [start, step] of read) {
      const point = toPoint(start, step);
      points.set(start, point);
      if (start >= first && step.minutes === stepMinutes && start + stepMinutes - 1 <= last - 1)
        remember(id + start, point);
    }
  }
  return {
    queue,
    range,
    from: first * 60_000,
    to: last * 60_000,
    stepMs: stepMinutes * 60_000,
    points: [...points].sort((a, b) => a[0] - b[0]).map(([, p]) => p),
  };
}
