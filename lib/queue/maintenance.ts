/**
 * Housekeeping transitions, run by the worker service (and, for reclaim, by consumers too):
 * reclaim expired leases, trim the DLQ by retention and cap, trim completed ids by age and count
 * (promotion of due retries is in retry.ts). Each loops over bounded script calls, so no single
 * Redis call runs long, and stops after `maxRounds` so one busy queue cannot starve others.
 */
import { globalKeys } from "../redis/keys.ts";
import { deadKeys, type QueueContext } from "./context.ts";
import { runScript } from "./scripts.ts";

const BATCH = 1000;
const TRIM_BATCH = 500;

export interface SweepResult {
  promoted?: number;
  reclaimed?: number;
  deadLettered?: number;
  dropped?: number;
  completedTrimmed?: number;
  consumersForgotten?: number;
}

/**
 * Expired leases → ready (attempt counted; refunded for a prefetched job that never started) or,
 * after the last attempt, the DLQ.
 */
export async function reclaimExpired(ctx: QueueContext, maxRounds = 10): Promise<SweepResult> {
  const s = ctx.settings;
  let reclaimed = 0;
  let deadLettered = 0;
  for (let i = 0; i < maxRounds; i++) {
    const [back, dead] = await runScript<[number, number]>(ctx.client, "reclaim", deadKeys(ctx.keys), [
      BATCH,
      s.dlqRetentionMs,
      s.dlqMaxEntries,
    ]);
    reclaimed += back;
    deadLettered += dead;
    if (back + dead < BATCH) break;
  }
  return { reclaimed, deadLettered };
}

/**
 * Longest a reclaim lock is held. A consumer's period is its lease (30 s by default): holding the
 * lock that long would make the worker (every WORKER_INTERVAL_MS, 1 s by default) wait a whole
 * lease before putting a dead consumer's jobs back. Capped, the worker waits at most this long.
 */
const RECLAIM_LOCK_MAX_MS = 1000;

/**
 * The reclaim both consumers and the worker run: at most one per `periodMs` (capped at
 * RECLAIM_LOCK_MAX_MS) per queue, by whoever takes the queue's lock first
 * (`SET lock:reclaim:<queue> <owner> PX … NX`). Nothing (an empty result) when another process
 * holds the lock.
 */
export async function reclaimIfDue(
  ctx: QueueContext,
  owner: string,
  periodMs: number,
  maxRounds?: number,
): Promise<SweepResult> {
  const lock = globalKeys(ctx.settings.prefix).sweepLock(`reclaim:${ctx.name}`);
  const holdMs = Math.max(1, Math.min(periodMs, RECLAIM_LOCK_MAX_MS));
  if ((await ctx.client.set(lock, owner, "PX", holdMs, "NX")) !== "OK") return {};
  return reclaimExpired(ctx, maxRounds);
}

/** Dead letters past DLQ_RETENTION_DAYS or beyond DLQ_MAX_ENTRIES are dropped (and counted). */
export async function trimDead(ctx: QueueContext, maxRounds = 100): Promise<SweepResult> {
  const s = ctx.settings;
  let dropped = 0;
  for (let i = 0; i < maxRounds; i++) {
    const n = await runScript<number>(ctx.client, "trimdead", deadKeys(ctx.keys), [
      s.dlqRetentionMs,
      s.dlqMaxEntries,
      TRIM_BATCH,
    ]);
    dropped += n;
    if (n < TRIM_BATCH) break;
  }
  return { dropped };
}

/**
 * Completed ids older than COMPLETED_RETENTION_SECONDS or beyond COMPLETED_MAX_ENTRIES are
 * removed with their records (trimcompleted-2.lua), TRIM_BATCH per call.
 */
export async function trimCompleted(
  ctx: QueueContext,
  now = Date.now(),
  maxRounds = 100,
): Promise<SweepResult> {
  const s = ctx.settings;
  const cutoff = s.completedRetentionMs > 0 ? now - s.completedRetentionMs : 0;
  let completedTrimmed = 0;
  for (let i = 0; i < maxRounds; i++) {
    const n = await runScript<number>(
      ctx.client,
      "trimcompleted",
      [ctx.keys.completed, ctx.keys.done],
      [cutoff, s.completedMaxEntries, TRIM_BATCH],
    );
    completedTrimmed += n;
    if (n < TRIM_BATCH) break;
  }
  return { completedTrimmed };
}

/** A consumer heartbeat silent this long is dropped from the queue's `consumers` hash. */
export const CONSUMER_FORGET_MS = 3_600_000;

/**
 * Forgets consumers whose heartbeat (written by extend-3.lua) is older than CONSUMER_FORGET_MS.
 * One HSCAN page per sweep: the hash holds the consumers of the last hour, a small number.
 */
export async function pruneConsumers(ctx: QueueContext, now = Date.now()): Promise<number> {
  const [, flat] = await ctx.client.hscan(ctx.keys.consumers, "0", "COUNT", 500);
  const stale: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const beat = Number.parseInt(flat[i + 1], 10);
    if (!(beat > now - CONSUMER_FORGET_MS)) stale.push(flat[i]);
  }
  return stale.length ? ctx.client.hdel(ctx.keys.consumers, ...stale) : 0;
}
