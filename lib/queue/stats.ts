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

/** HGETALLs per pipeline when reading many minutes: 7 days are 10,080 hashes, read in 11 batches. */
export const MINUTES_PER_BATCH = 1_000;

/**
 * The stats hashes of the minutes first..last (at most 8 days: older ones have expired), in
 * pipelined batches of MINUTES_PER_BATCH, one batch at a time: bounded memory and no single long
 * pipeline in front of other clients. A minute without traffic is an empty hash.
 */
export async function readMinuteHashes(
  client: RedisClient,
  queue: string,
  first: number,
  last: number,
  o?: KeyOptions,
): Promise<{ minute: number; hash: Record<string, string> }[]> {
  const k = queueKeys(queue, prefixOf(o));
  const from = Math.max(first, last - 8 * 24 * 60);
  const out: { minute: number; hash: Record<string, string> }[] = [];
  for (let start = from; start <= last; start += MINUTES_PER_BATCH) {
    const end = Math.min(last, start + MINUTES_PER_BATCH - 1);
    const pipe = client.pipeline();
    for (let m = start; m <= end; m++) pipe.hgetall(k.stats(m));
    const replies = (await pipe.exec()) ?? [];
    replies.forEach(([err, hash], i) => {
      if (err) throw err;
      out.push({ minute: start + i, hash: hash as Record<string, string> });
    });
  }
  return out;
}

/** One row per UTC minute in [fromMs, toMs] (at most 8 days), zeros where nothing happened. */
export async function queueSeries(
  client: RedisClient,
  queue: string,
  fromMs: number,
  toMs: number,
  o?: KeyOptions,
): Promise<SeriesRow[]> {
  const hashes = await readMinuteHashes(client, queue, minuteOf(fromMs), minuteOf(toMs), o);
  return hashes.map(({ minute, hash }) => {
    const row = { minute, at: minute * 60_000 } as SeriesRow;
    for (const f of STAT_FIELDS) row[f] = Number(hash[f] ?? 0);
    return row;
  });
}

/**
 * How long the job next in line (the ready list's oldest end) has waited, in ms, or null when
 * nothing waits: now minus when it became ready — the latest of `ct` (added), `rt` (a delayed
 * job, a retry or a requeued dead letter fell due) and `lf` (a lease expired and the job came
 * back). Two round trips; a job leased in between still has its hash, one completed meanwhile
 * reads as nothing waiting until the next call.
 */
export async function oldestWaitingAge(
  client: RedisClient,
  queue: string,
  now = Date.now(),
  o?: KeyOptions,
): Promise<number | null> {
  const k = queueKeys(queue, prefixOf(o));
  const id = await client.lindex(k.ready, -1);
  if (id === null) return null;
  const f = await client.hmget(k.job(id), "ct", "rt", "lf");
  const times = f.filter((v): v is string => v !== null).map(Number);
  return times.length ? Math.max(0, now - Math.max(...times)) : null;
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
