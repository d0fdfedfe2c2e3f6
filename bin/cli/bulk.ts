/**
 * Bulk requeue and delete from the CLI: lib/dlq's runBulk (bounded chunks, optional rate,
 * progress recorded where the console can see it too), with Ctrl-C asking it to stop after the
 * current chunk — what was done stays done, and the summary says "cancelled".
 */
import { randomUUID } from "node:crypto";
import { type CanaryOptions, cancelBulk, type DlqFilter, runBulk } from "../../lib/dlq/index.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { BulkOutcome } from "./backend.ts";

export async function bulk(
  redis: RedisClient,
  action: "requeue" | "delete",
  filter: DlqFilter,
  opts: {
    rate?: number;
    delayMs?: number;
    canary?: CanaryOptions;
    by: string;
    onProgress?: (p: BulkOutcome) => void;
  },
): Promise<BulkOutcome> {
  const opId = randomUUID();
  const cancel = () => void cancelBulk(redis, opId).catch(() => undefined);
  process.once("SIGINT", cancel);
  try {
    const extra = action === "requeue" ? { delayMs: opts.delayMs, canary: opts.canary, by: opts.by } : {};
    const p = await runBulk(
      redis,
      { action, scope: { filter }, rate: opts.rate, ...extra },
      {
        opId,
        onProgress: (q) =>
          opts.onProgress?.({ matched: q.total ?? 0, done: q.done, missing: q.gone, canary: q.canary }),
      },
    );
    const outcome: BulkOutcome = {
      matched: p.total ?? p.processed,
      done: p.done,
      missing: p.gone,
      ...(p.canary ? { canary: p.canary } : {}),
      ...(p.state === "stopped" ? { stopped: true } : {}),
    };
    return p.state === "cancelled" ? { ...outcome, cancelled: true } : outcome;
  } finally {
    process.off("SIGINT", cancel);
  }
}
