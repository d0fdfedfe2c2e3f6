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

/**
 * Where a page resumes: `at`, the list's position, and, for queues that had read past it and found
 * nothing there (a text search that stopped at its time), each one's own position further on, so
 * the next page does not read those ids again.
 */
export interface PageCursor {
  at: Position;
  ahead: Position[];
}

// base64url of this much JSON stays within the page schema's 2,000 characters
const CURSOR_JSON_MAX = 1400;

type Triple = [number, string, string];
const triple = (p: Position): Triple => [p.score, p.queue, p.id];
const isTriple = (v: unknown): v is Triple =>
  Array.isArray(v) &&
  v.length === 3 &&
  Number.isFinite(v[0]) &&
  typeof v[1] === "string" &&
  typeof v[2] === "string";
const position = (t: Triple): Position => ({ score: t[0], queue: t[1], id: t[2] });

/** The cursor of a position, with the queues ahead of it that fit (the others resume from `at`). */
export function encodeCursor(at: Position, ahead: Position[] = []): string {
  const kept: Triple[] = [];
  let length = JSON.stringify([...triple(at), []]).length;
  for (const p of ahead) {
    const n = JSON.stringify(triple(p)).length + 1;
    if (length + n > CURSOR_JSON_MAX) break;
    kept.push(triple(p));
    length += n;
  }
  const v = kept.length ? [...triple(at), kept] : triple(at);
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

export function decodeCursor(cursor: string): PageCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && isTriple(v.slice(0, 3))) {
      const at = position(v.slice(0, 3) as Triple);
      if (v.length === 3) return { at, ahead: [] };
      if (v.length === 4 && Array.isArray(v[3]) && v[3].every(isTriple)) {
        // a position ahead counts only after `at`, once per queue
        const ahead = (v[3] as Triple[]).map(position).filter((p) => comparePositions(p, at) > 0);
        if (new Set(ahead.map((p) => p.queue)).size === ahead.length) return { at, ahead };
      }
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
