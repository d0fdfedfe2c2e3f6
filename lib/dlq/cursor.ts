/**
 * Positions in the newest-first order of dead letters across queues, and the opaque cursors
 * that carry them between pages. The order is (dead at desc, queue desc, id desc), bytewise for
 * names as Redis orders members of equal score, so a cursor stays stable while entries are
 * added (newer ones come before it) or removed (the cursor resumes by position, not by rank).
 */
import { invalidInput } from "./errors.ts";
import type { ScanBounds } from "./scripts.ts";

export interface Position {
  score: number;
  queue: string;
  id: string;
}

const bytes = (s: string) => Buffer.from(s, "utf8");

/** < 0 when a comes first (is newer) in list order, > 0 when b does, 0 when equal. */
export function comparePositions(a: Position, b: Position): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.queue !== b.queue) return Buffer.compare(bytes(b.queue), bytes(a.queue));
  return Buffer.compare(bytes(b.id), bytes(a.id));
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.score, p.queue, p.id])).toString("base64url");
}

export function decodeCursor(cursor: string): Position {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      Number.isFinite(v[0]) &&
      typeof v[1] === "string" &&
      typeof v[2] === "string"
    ) {
      return { score: v[0], queue: v[1], id: v[2] };
    }
  } catch {
    // fall through
  }
  throw invalidInput("cursor", "not a cursor returned by a previous page");
}

/** What one queue's index must still be read for, after `after` (exclusive) within [from, to]. */
export function boundsFor(
  queue: string,
  after: Position | null,
  from?: number,
  to?: number,
): ScanBounds | null {
  const lo = from === undefined ? "-inf" : String(from);
  if (!after || (to !== undefined && to < after.score)) {
    return { hi: to === undefined ? "+inf" : String(to), lo, ties: "all", afterId: "" };
  }
  if (from !== undefined && after.score < from) return null;
  const hi = String(after.score);
  if (queue === after.queue) return { hi, lo, ties: "after", afterId: after.id };
  const queueFirst = Buffer.compare(bytes(queue), bytes(after.queue)) > 0;
  return { hi, lo, ties: queueFirst ? "none" : "all", afterId: "" };
}
