/**
 * Housekeeping transitions, run by the worker service (and, for reclaim and promotion, by
 * consumers too): promote due retries, reclaim expired leases, trim the DLQ by retention and
 * cap, trim completed ids by age and count. Each loops over bounded script calls, so no single
 * Redis call runs long, and stops after `maxRounds` so one busy queue cannot starve others.
 */
import { deadKeys, promoteKeys, type QueueContext } from "./context.ts";
import { runScript } from "./scripts.ts";

const BATCH = 1000;
const TRIM_BATCH = 500;

export interface SweepResult {
  promoted?: number;
  reclaimed?: number;
  deadLettered?: number;
  dropped?: number;
  completedTrimmed?: number;
}

/** Retries and delayed jobs that are due → ready. */
export async function promoteDue(ctx: QueueContext, maxRounds = 10): Promise<SweepResult> {
  let promoted = 0;
  for (let i = 0; i < maxRounds; i++) {
    const n = await runScript<number>(ctx.client, "promote", promoteKeys(ctx.keys), [BATCH]);
    promoted += n;
    if (n < BATCH) break;
  }
  return { promoted };
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
 * removed. Not a job transition (the job hash went when it completed), so plain commands.
 */
export async function trimCompleted(ctx: QueueContext, now = Date.now()): Promise<SweepResult> {
  const s = ctx.settings;
  let completedTrimmed = 0;
  if (s.completedRetentionMs > 0) {
    completedTrimmed += await ctx.client.zremrangebyscore(
      ctx.keys.completed,
      "-inf",
      now - s.completedRetentionMs,
    );
  }
  if (s.completedMaxEntries > 0) {
    completedTrimmed += await ctx.client.zremrangebyrank(ctx.keys.completed, 0, -s.completedMaxEntries - 1);
  }
  return { completedTrimmed };
}
