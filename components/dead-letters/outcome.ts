/** Sentences that say what an action did: "1,280 requeued, 4 already gone". */
import type { BulkProgress, MutationResult } from "../api-types.ts";
import { formatCount } from "../format.ts";

const PAST = { requeue: "requeued", delete: "deleted" } as const;

export function describeOutcome(action: "requeue" | "delete", succeeded: number, missing: number): string {
  const parts = [`${formatCount(succeeded)} ${PAST[action]}`];
  if (missing) parts.push(`${formatCount(missing)} already gone`);
  return parts.join(", ");
}

export function describeResult(r: MutationResult): string {
  return r.mode === "inline"
    ? describeOutcome(r.action, r.succeeded, r.missing)
    : `Started: ${formatCount(r.total)} to ${r.action}`;
}

export function describeBulk(p: BulkProgress): string {
  const done = describeOutcome(p.action, p.succeeded, p.missing);
  if (p.state === "cancelled") return `Cancelled after ${formatCount(p.processed)} of ${formatCount(p.total)}: ${done}`;
  if (p.state === "failed") return `Stopped with an error after ${formatCount(p.processed)}: ${done}${p.error ? ` (${p.error})` : ""}`;
  return done;
}
