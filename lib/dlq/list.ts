/**
 * Listing dead letters newest first, across queues, with filters and cursors.
 *
 * Each queue's index (its dead zset, or one error group's zset when filtering by group) is read
 * by the page script from the cursor's position; several queues are read in parallel and merged.
 * Without text, a page costs one script call per queue (O(log n + page)). With text, the script
 * reads at most SCAN_CHUNK ids per call, and a page stops after PAGE_SCAN_MAX ids: it returns the
 * matches found so far, `complete: false` and a cursor to go on from — a rare text never turns a
 * page into one long Redis call. Counting with text reads the whole index, chunk by chunk.
 */
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { boundsFor, comparePositions, decodeCursor, encodeCursor, type Position } from "./cursor.ts";
import { type DeadLetterSummary, listQueues, summaryFromRow } from "./read.ts";
import { type DlqFilter, filterSchema, type PageRequest, pageSchema, parseInput } from "./schemas.ts";
import { readRows, scanIndex } from "./scripts.ts";

/** Ids one round of a text search reads, shared by the queues searched (~2-5 µs each). */
export const SCAN_CHUNK = 500;
/** Ids one page reads at most when searching text, over all its rounds. */
export const PAGE_SCAN_MAX = 2000;

export interface DlqPage {
  items: DeadLetterSummary[];
  /** where the next page starts; null when nothing is left */
  nextCursor: string | null;
  /** false when a text search stopped at its read budget before filling the page */
  complete: boolean;
  /** ids read to build the page */
  scanned: number;
}

export interface ScanLimits {
  chunk?: number;
  pageScanMax?: number;
}

interface Source {
  queue: string;
  index: string;
}

export async function sourcesOf(client: RedisClient, filter: DlqFilter): Promise<Source[]> {
  const queues = filter.queue ? [filter.queue] : await listQueues(client);
  return queues.map((queue) => {
    const k = queueKeys(queue);
    return { queue, index: filter.group ? k.group(filter.group) : k.dead };
  });
}

interface Match {
  pos: Position;
  row: string[];
}

interface Found {
  matches: Match[];
  next: Position | null;
  complete: boolean;
  scanned: number;
}

/**
 * Reads the next page from `after`: the merge of every source, kept up to the least-advanced
 * source's last read position (the frontier), so nothing between is skipped. Without text only
 * positions are read, and the fields of the rows kept are fetched afterwards.
 */
async function readPage(
  client: RedisClient,
  filter: DlqFilter,
  after: Position | null,
  limit: number,
  lim: ScanLimits,
): Promise<Found> {
  const needle = filter.search ?? "";
  const maxScanned = lim.pageScanMax ?? PAGE_SCAN_MAX;
  let active = await sourcesOf(client, filter);
  const out: Match[] = [];
  let cur = after;
  let scanned = 0;
  for (;;) {
    // Without text every source is asked for the whole rest of the page (positions are cheap).
    // With text a round reads about `chunk` ids shared by the sources, each asked for its share
    // of the matches still wanted: the frontier keeps the merge exact whatever the shares.
    const rest = limit - out.length;
    const want = needle ? Math.ceil(rest / active.length) : rest;
    const budget = needle ? Math.max(want, Math.ceil((lim.chunk ?? SCAN_CHUNK) / active.length)) : want;
    const round = await Promise.all(
      active.map(async (s) => {
        const b = boundsFor(s.queue, cur, filter.from, filter.to);
        const mode = needle ? ("rows" as const) : ("pos" as const);
        return {
          s,
          r: b ? await scanIndex(client, s.queue, s.index, b, { want, budget, needle, mode }) : null,
        };
      }),
    );
    let frontier: Position | null = null;
    const candidates: Match[] = [];
    for (const { s, r } of round) {
      if (!r) continue;
      scanned += r.scanned;
      for (const row of r.rows)
        candidates.push({ pos: { score: Number(row[1]), queue: s.queue, id: row[0] }, row });
      if (r.more && r.last) {
        const p = { score: r.last.score, queue: s.queue, id: r.last.id };
        if (!frontier || comparePositions(p, frontier) < 0) frontier = p;
      }
    }
    const safe = candidates.filter((m) => !frontier || comparePositions(m.pos, frontier) <= 0);
    out.push(...safe.sort((a, b) => comparePositions(a.pos, b.pos)));
    if (out.length >= limit)
      return { matches: out.slice(0, limit), next: out[limit - 1].pos, complete: true, scanned };
    if (!frontier) return { matches: out, next: null, complete: true, scanned };
    if (scanned >= maxScanned) return { matches: out, next: frontier, complete: false, scanned };
    cur = frontier;
    const more = new Set(round.filter((x) => x.r?.more).map((x) => x.s.queue));
    active = active.filter((s) => more.has(s.queue));
  }
}

/** Fills in the fields of position-only matches (one pipelined read per queue). */
async function withRows(client: RedisClient, matches: Match[]): Promise<Match[]> {
  const byQueue = new Map<string, Position[]>();
  for (const m of matches)
    if (m.row.length === 2) byQueue.set(m.pos.queue, [...(byQueue.get(m.pos.queue) ?? []), m.pos]);
  if (byQueue.size === 0) return matches;
  const rows = new Map<string, string[]>();
  await Promise.all(
    [...byQueue].map(async ([queue, ps]) => {
      for (const row of await readRows(
        client,
        queue,
        ps.map((p) => p.id),
      ))
        rows.set(`${queue}\u0000${row[0]}`, row);
    }),
  );
  // an entry removed between the two reads is left out of the page
  return matches.flatMap((m) => {
    if (m.row.length !== 2) return [m];
    const row = rows.get(`${m.pos.queue}\u0000${m.pos.id}`);
    return row ? [{ pos: m.pos, row }] : [];
  });
}

/** A page of dead letters, newest first. The cursor comes from the previous page's nextCursor. */
export async function listDeadLetters(
  client: RedisClient,
  filter: DlqFilter = {},
  page: PageRequest = {},
  limits: ScanLimits = {},
): Promise<DlqPage> {
  const f = parseInput(filterSchema, filter, "filter");
  const p = parseInput(pageSchema, page, "page");
  const after = p.cursor ? decodeCursor(p.cursor) : null;
  const r = await readPage(client, f, after, p.limit, limits);
  const matches = await withRows(client, r.matches);
  return {
    items: matches.map((m) => summaryFromRow(m.pos.queue, m.row)),
    nextCursor: r.next ? encodeCursor(r.next) : null,
    complete: r.complete,
    scanned: r.scanned,
  };
}

/** Ids of the next `limit` matches after a position (bulk operations walk a filter with it). */
export async function nextMatches(
  client: RedisClient,
  filter: DlqFilter,
  after: Position | null,
  limit: number,
  limits: ScanLimits = {},
): Promise<{ matches: Position[]; next: Position | null }> {
  const r = await readPage(client, filter, after, limit, limits);
  return { matches: r.matches.map((m) => m.pos), next: r.next };
}

async function countSource(
  client: RedisClient,
  s: Source,
  filter: DlqFilter,
  chunk: number,
): Promise<number> {
  const lo = filter.from ?? "-inf";
  const hi = filter.to ?? "+inf";
  if (!filter.search) return client.zcount(s.index, lo, hi);
  let total = 0;
  let after: Position | null = null;
  for (;;) {
    const b = boundsFor(s.queue, after, filter.from, filter.to);
    if (!b) return total;
    const r = await scanIndex(client, s.queue, s.index, b, {
      want: chunk,
      budget: chunk,
      needle: filter.search,
      mode: "count",
    });
    total += r.found;
    if (!r.more || !r.last) return total;
    after = { score: r.last.score, queue: s.queue, id: r.last.id };
  }
}

/** How many dead letters a filter matches now (the console says it before a bulk action). */
export async function countDeadLetters(client: RedisClient, filter: DlqFilter = {}, limits: ScanLimits = {}) {
  const f = parseInput(filterSchema, filter, "filter");
  const sources = await sourcesOf(client, f);
  const counts = await Promise.all(sources.map((s) => countSource(client, s, f, limits.chunk ?? SCAN_CHUNK)));
  return counts.reduce((a, b) => a + b, 0);
}
