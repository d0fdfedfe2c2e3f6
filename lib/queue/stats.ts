/**
 * Read-only figures of the queues, for the console, alerts and Prometheus: the registry of
 * queue names, current sizes, per-minute counters written by the scripts, the oldest dead
 * letter's age, and the DLQ totals (what retention dropped, how near the cap it is). No
 * scripts here: every read is a plain command, a pipeline or a MULTI, safe to call from anywhere.
 */
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys, minuteOf, queueKeys } from "../redis/keys.ts";

export interface KeyOptions {
  /** Key prefix (default REDIS_KEY_PREFIX). */
  prefix?: string;
}

/** Counter fields of the per-minute stats hash. */
export const STAT_FIELDS = [
  "added",
  "completed",
  "failed",
  "retried",
  "retrySucceeded",
  "retryDead",
  "dead",
  "requeued",
  "deleted",
  "droppedCap",
] as const;
export type StatField = (typeof STAT_FIELDS)[number];

export type SeriesRow = { minute: number; at: number } & Record<StatField, number>;

/** Jobs in each state: ready to run, leased (running or prefetched), waiting to retry or
 * delayed, dead letters, completed ids kept (COMPLETED_MAX_ENTRIES). */
export interface QueueSizes {
  ready: number;
  active: number;
  retry: number;
  dead: number;
  completed: number;
}

export interface DlqTotals {
  size: number;
  /** dead letters dropped in all by retention (age) and the cap */
  dropped: number;
  droppedAge: number;
  droppedCap: number;
  /** DLQ_MAX_ENTRIES, or null without a cap */
  cap: number | null;
  /** size ÷ cap (0..1), or null without a cap: alert before it reaches 1 and drops start */
  nearCap: number | null;
}

const prefixOf = (o?: KeyOptions) => o?.prefix ?? getConfig().REDIS_KEY_PREFIX;

/** Every queue that was ever added to or processed, sorted. */
export async function listQueues(client: RedisClient, o?: KeyOptions): Promise<string[]> {
  return (await client.smembers(globalKeys(prefixOf(o)).queues)).sort();
}

/**
 * Current number of jobs in each state (the names of docs/queue.md and the console), read
 * atomically: every job counts in exactly one state. MULTI rather than a script: still no
 * scripts here, nothing to load, works where EVAL is not allowed; all five keys share the
 * queue's hash tag, so on a Cluster the transaction runs on one node. One round trip.
 */
export async function queueSizes(client: RedisClient, queue: string, o?: KeyOptions): Promise<QueueSizes> {
  const k = queueKeys(queue, prefixOf(o));
  const replies = await client
    .multi()
    .llen(k.ready)
    .zcard(k.active)
    .zcard(k.retry)
    .zcard(k.dead)
    .zcard(k.completed)
    .exec();
  const [ready, active, retry, dead, completed] = (replies ?? []).map(([err, n]) => {
    if (err) throw err;
    return Number(n);
  });
  return { ready, active, retry, dead, completed };
}

/** One row per UTC minute in [fromMs, toMs] (at most 8 days), zeros where nothing happened. */
export async function queueSeries(
  client: RedisClient,
  queue: string,
  fromMs: number,
  toMs: number,
  o?: KeyOptions,
): Promise<SeriesRow[]> {
  const k = queueKeys(queue, prefixOf(o));
  const last = minuteOf(toMs);
  const first = Math.max(minuteOf(fromMs), last - 8 * 24 * 60);
  const minutes: number[] = [];
  for (let m = first; m <= last; m++) minutes.push(m);
  const hashes = await Promise.all(minutes.map((m) => client.hgetall(k.stats(m))));
  return minutes.map((minute, i) => {
    const row = { minute, at: minute * 60_000 } as SeriesRow;
    for (const f of STAT_FIELDS) row[f] = Number(hashes[i][f] ?? 0);
    return row;
  });
}

/** Age in ms of the oldest dead letter of a queue, or null when its DLQ is empty. */
export async function oldestDeadAge(
  client: RedisClient,
  queue: string,
  now = Date.now(),
  o?: KeyOptions,
): Promise<number | null> {
  const k = queueKeys(queue, prefixOf(o));
  const first = await client.zrange(k.dead, "0", "0", "WITHSCORES");
  return first.length === 2 ? Math.max(0, now - Number(first[1])) : null;
}

/** DLQ size, what retention has dropped, and how near the cap (DLQ_MAX_ENTRIES) it is. */
export async function dlqTotals(
  client: RedisClient,
  queue: string,
  cap = getConfig().DLQ_MAX_ENTRIES,
  o?: KeyOptions,
): Promise<DlqTotals> {
  const k = queueKeys(queue, prefixOf(o));
  const [size, totals] = await Promise.all([client.zcard(k.dead), client.hgetall(k.totals)]);
  const n = (f: string) => Number(totals[f] ?? 0);
  return {
    size,
    dropped: n("dropped"),
    droppedAge: n("droppedAge"),
    droppedCap: n("droppedCap"),
    cap: cap > 0 ? cap : null,
    nearCap: cap > 0 ? size / cap : null,
  };
}
