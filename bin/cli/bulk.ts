/**
 * The CLI's bulk requeue and delete: walks the dead letters a filter matches in pages of ids
 * (lib/dlq's list, newest first) and applies the operation per page — each page is one atomic,
 * idempotent batch in lib/dlq — at an optional rate, reporting progress after every page.
 * Entries that vanish meanwhile (requeued elsewhere, expired) are counted as "already gone".
 */
import type { DlqFilter } from "../../lib/dlq/schemas.ts";
import { listDeadLetters } from "../../lib/dlq/list.ts";
import type { MutationResult } from "../../lib/dlq/mutate.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { BulkOutcome } from "./backend.ts";

const PAGE = 200;

export async function runBulk(
  redis: RedisClient,
  _action: "requeue" | "delete",
  filter: DlqFilter,
  opts: { rate?: number; onProgress?: (p: BulkOutcome) => void },
  apply: (queue: string, ids: string[]) => Promise<MutationResult>,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { matched: 0, done: 0, missing: 0 };
  const started = Date.now();
  let cursor: string | undefined;
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
  };
  process.once("SIGINT", cancel);
  try {
    do {
      const limit = opts.rate ? Math.max(1, Math.min(PAGE, Math.ceil(opts.rate))) : PAGE;
      const page = await listDeadLetters(redis, filter, { limit, cursor });
      cursor = page.nextCursor ?? undefined;
      const byQueue = new Map<string, string[]>();
      for (const item of page.items) byQueue.set(item.queue, [...(byQueue.get(item.queue) ?? []), item.id]);
      for (const [queue, ids] of byQueue) {
        const r = await apply(queue, ids);
        outcome.matched += ids.length;
        outcome.done += r.done;
        outcome.missing += r.gone;
      }
      opts.onProgress?.(outcome);
      if (opts.rate) {
        const due = started + (outcome.matched / opts.rate) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
    } while (cursor && !cancelled);
  } finally {
    process.off("SIGINT", cancel);
  }
  return cancelled ? { ...outcome, cancelled } : outcome;
}
