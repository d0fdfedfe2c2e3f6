/** Sentences that say what an action did: "1,280 requeued, 4 already gone". */
import type { BulkProgress, MutationResult } from "#components/api-types.ts";
import { formatCount } from "#components/format.ts";

const PAST = { requeue: "requeued", delete: "deleted" } as const;

export function describeOutcome(action: "requeue" | "delete", done: number, gone: number): string {
  const parts = [`${formatCount(done)} ${PAST[action]}`];
  if (gone) parts.push(`${formatCount(gone)} already gone`);
  return parts.join(", ");
}

export function describeResult(r: MutationResult): string {
  return r.mode === "inline"
    ? describeOutcome(r.action, r.done, r.gone)
    : `Started: ${r.action} in the background`;
}

export function describeBulk(p: BulkProgress): string {
  const done = describeOutcome(p.action, p.done, p.gone);
  const of = p.total === null ? "" : ` of ${formatCount(p.total)}`;
  if (p.state === "cancelled") return `Cancelled after ${formatCount(p.processed)}${of}: ${done}`;
  if (p.state === "failed")
    return `Stopped with an error after ${formatCount(p.processed)}${of}: ${done}${p.error ? ` (${p.error})` : ""}`;
  return done;
}
