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

/** "90 %" from 0.9, without float noise. */
export const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10} %`;

/** A canary's state in one sentence: waiting, passed, failed or undecided. */
export function describeCanary(c: NonNullable<BulkProgress["canary"]>): string {
  const tally = `${formatCount(c.succeeded)} of ${formatCount(c.watched)} succeeded, ${percent(c.minSuccess)} needed`;
  const failed = c.failed.length ? `, ${formatCount(c.failed.length)} failed again` : "";
  switch (c.verdict) {
    case null:
      return `Canary: ${formatCount(c.watched)} requeued first, waiting for their outcome (${tally}${failed})`;
    case "pass":
      return `Canary passed (${tally}): the rest was requeued`;
    case "fail":
      return `Canary failed (${tally}${failed}): the rest was left in the DLQ`;
    case "undecided":
      return `Canary undecided: ${formatCount(c.pending.length)} of ${formatCount(c.watched)} had not finished after ${formatCount(c.timeoutMs / 1000)} s (${tally}); the rest was left in the DLQ`;
  }
}

export function describeBulk(p: BulkProgress): string {
  const done = describeOutcome(p.action, p.done, p.gone);
  const of = p.total === null ? "" : ` of ${formatCount(p.total)}`;
  if (p.state === "stopped") return `Stopped by the canary after ${formatCount(p.processed)}${of}: ${done}`;
  if (p.state === "cancelled") return `Cancelled after ${formatCount(p.processed)}${of}: ${done}`;
  if (p.state === "failed")
    return `Stopped with an error after ${formatCount(p.processed)}${of}: ${done}${p.error ? ` (${p.error})` : ""}`;
  return done;
}
