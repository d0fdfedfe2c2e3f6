/**
 * Counting the dead letters a filter matches, with a bound on the work one call may do.
 *
 * Without text (and without a cursor) a count is one ZCOUNT per queue: O(log n), never bounded.
 * With text every id must be read, so the count walks the queues one after the other (by name),
 * each newest first in chunks of at most SCAN_CHUNK ids, and stops after `scanMax` ids: it then
 * answers the matches found so far, `partial: true`, and a cursor that goes on where it stopped
 * (the same filter must be passed again; the counts of the calls add up). A viewer cannot make one
 * request read a million entries.
 */
import type { RedisClient } from "../redis/connection.ts";
import { boundsFor, type Position } from "./cursor.ts";
import { invalidInput } from "./errors.ts";
import { SCAN_CHUNK, sourcesOf } from "./list.ts";
import { type DlqFilter, filterSchema, parseInput } from "./schemas.ts";
import { scanIndex } from "./scripts.ts";

export interface CountResult {
  /** matches found (all of them unless `partial`) */
  count: number;
  /** true when the count stopped at its read bound: at least `count` match */
  partial: boolean;
  /** ids read to count (0 when index sizes answered) */
  scanned: number;
  /** pass it back as `cursor` (with the same filter) to count the rest; null when complete */
  nextCursor: string | null;
  /** entries the count has to read in all, over every call (the scope without the text) */
  total: number;
}

export interface CountOptions {
  /** ids read at most by this call (default: no bound) */
  scanMax?: number;
  /** a previous partial count's nextCursor */
  cursor?: string;
  /** ids one script call reads at most */
  chunk?: number;
}

/** Where a count resumes: in `queue` (earlier queues are done), after `at` (null: from its start). */
interface CountCursor {
  queue: string;
  at: { score: number; id: string } | null;
}

function encode(c: CountCursor): string {
  return Buffer.from(JSON.stringify(["count", c.queue, c.at?.score ?? null, c.at?.id ?? null])).toString(
    "base64url",
  );
}

function decode(cursor: string): CountCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 4 && v[0] === "count" && typeof v[1] === "string") {
      if (v[2] === null && v[3] === null) return { queue: v[1], at: null };
      if (Number.isFinite(v[2]) && typeof v[3] === "string")
        return { queue: v[1], at: { score: v[2], id: v[3] } };
    }
  } catch {
    // fall through
  }
  throw invalidInput("cursor", "not a cursor returned by a previous count");
}

/** How many dead letters a filter matches, reading at most `scanMax` ids (see the file's comment). */
export async function countMatches(
  client: RedisClient,
  filter: DlqFilter = {},
  opts: CountOptions = {},
): Promise<CountResult> {
  const f = parseInput(filterSchema, filter, "filter");
  const from = opts.cursor ? decode(opts.cursor) : null;
  const sources = await sourcesOf(client, f);
  const sizes = await Promise.all(
    sources.map((s) => client.zcount(s.index, f.from ?? "-inf", f.to ?? "+inf")),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!f.search && !from) return { count: total, partial: false, scanned: 0, nextCursor: null, total };
  const scanMax = opts.scanMax ?? Number.POSITIVE_INFINITY;
  const chunk = opts.chunk ?? SCAN_CHUNK;
  let count = 0;
  let scanned = 0;
  // sources come sorted by queue name; the ones before the cursor's queue are done
  const todo = from ? sources.filter((s) => s.queue >= from.queue) : sources;
  for (const s of todo) {
    if (scanned >= scanMax) {
      return { count, partial: true, scanned, nextCursor: encode({ queue: s.queue, at: null }), total };
    }
    let after: Position | null = from?.queue === s.queue && from.at ? { ...from.at, queue: s.queue } : null;
    for (;;) {
      const b = boundsFor(s.queue, after, f.from, f.to);
      if (!b) break;
      const budget = Math.min(chunk, scanMax - scanned);
      const r = await scanIndex(client, s.queue, s.index, b, {
        want: budget,
        budget,
        needle: f.search ?? "",
        mode: "count",
      });
      count += r.found;
      scanned += r.scanned;
      if (!r.more || !r.last) break;
      after = { score: r.last.score, queue: s.queue, id: r.last.id };
      if (scanned >= scanMax) {
        return { count, partial: true, scanned, nextCursor: encode({ queue: s.queue, at: r.last }), total };
      }
    }
  }
  return { count, partial: false, scanned, nextCursor: null, total };
}

/** How many dead letters a filter matches now, all of them (bulk operations and the CLI). */
export async function countDeadLetters(
  client: RedisClient,
  filter: DlqFilter = {},
  limits: { chunk?: number } = {},
): Promise<number> {
  return (await countMatches(client, filter, { chunk: limits.chunk })).count;
}
