/**
 * Listing dead letters newest first, across queues, with filters and cursors.
 *
 * Each queue's index (its dead zset, or one error group's zset when filtering by group) is read
 * by the page script from the cursor's position; several queues are read in parallel and merged.
 * Without text, a page costs one script call per queue (O(log n + page)). With text, the script
 * reads at most SCAN_CHUNK ids per call, and a page stops after PAGE_SCAN_MAX ids or about
 * PAGE_TIME_MS of reading (whichever comes first; the first round always runs, and a later one
 * reads only what fits before PAGE_TIME_MS at the pace of the round before): it returns the
 * matches found so far, `complete: false` and a cursor to go on from — a rare text never turns a
 * page into one long Redis call. Every page also says how far the list has been read: `total`
 * entries are in the filter's scope (its queues and time window, text aside) and `searched` of
 * them lie before `nextCursor`, so a search that stopped can say "searched 2,000 of 1,000,000"
 * instead of looking like "nothing matches" (two ZCOUNTs per queue). Counting is count.ts.
 */
import { performance } from "node:perf_hooks";
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { boundsFor, comparePositions, decodeCursor, encodeCursor, type Position } from "./cursor.ts";
import { type DeadLetterSummary, listQueues, summaryFromRow } from "./read.ts";
import { type DlqFilter, filterSchema, type PageRequest, pageSchema, parseInput } from "./schemas.ts";
import { readRows, type ScanRequest, scanIndex } from "./scripts.ts";

/**
 * Ids one round of a text search reads at most, shared by the queues searched: ~10-15 µs of Redis
 * CPU each with ~3 KB of errors (bench/README.md), so a round, and any one call, takes ~5 ms. The
 * first round of a page always reads a whole chunk: on a busy machine, where the time is up after
 * it, that is what a page reads.
 */
export const SCAN_CHUNK = 400;
/** Ids one page reads at most when searching text, over all its rounds. */
export const PAGE_SCAN_MAX = 2000;
/** PAGE_SCAN_MAX, or less when the operator bounds every request lower (API_SCAN_LIMIT). */
const pageScanMax = () => Math.min(PAGE_SCAN_MAX, getConfig().API_SCAN_LIMIT);
/**
 * A page's reads end by this many ms after they start (a busy server reads less per page): 8, so
 * that the page with its other calls and a machine's hiccups stays under 20 ms.
 */
export const PAGE_TIME_MS = 8;

export interface DlqPage {
  items: DeadLetterSummary[];
  /** where the next page starts; null when nothing is left */
  nextCursor: string | null;
  /** false when a text search stopped at its read budget before filling the page */
  complete: boolean;
  /** the same, as counts and groups say it: true when the page stopped at its read bound */
  partial: boolean;
  /** ids read to build the page */
  scanned: number;
  /** entries in the filter's scope (queues, group, time window; the text aside) */
  total: number;
  /** of `total`, the entries from the list's start up to `nextCursor` (all pages so far); `total` at the end */
  searched: number;
}

export interface ScanLimits {
  chunk?: number;
  pageScanMax?: number;
  pageTimeMs?: number;
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
  /** queues that read past `next` and found nothing there: where each resumes */
  ahead: Position[];
  complete: boolean;
  scanned: number;
}

/** One source's progress within a page: where it has read to, and its matches not yet merged. */
interface SourceCursor {
  source: Source;
  last: Position | null;
  more: boolean;
  buf: Match[];
}

/** The least advanced of some positions (null = nothing read yet, before everything). */
function leastAdvanced(ps: (Position | null)[]): Position | null | undefined {
  let f: Position | null | undefined;
  for (const p of ps) if (f === undefined || p === null || (f !== null && comparePositions(p, f) < 0)) f = p;
  return f;
}

async function advance(
  client: RedisClient,
  filter: DlqFilter,
  c: SourceCursor,
  start: Position | null,
  req: ScanRequest,
) {
  const b = boundsFor(c.source.queue, start, filter.from, filter.to);
  if (!b) {
    c.more = false;
    return 0;
  }
  const r = await scanIndex(client, c.source.queue, c.source.index, b, req);
  for (const row of r.rows)
    c.buf.push({ pos: { score: Number(row[1]), queue: c.source.queue, id: row[0] }, row });
  if (r.last) c.last = { score: r.last.score, queue: c.source.queue, id: r.last.id };
  c.more = r.more;
  return r.scanned;
}

/**
 * Reads the next page from `after`, merging every source (queue) newest first. Each source reads
 * from where it stopped; what it found is kept up to the least-advanced source's position (the
 * frontier), so nothing before it is missed, and after the first round only the sources at the
 * frontier read on. Without text only positions are read (the rows kept are fetched afterwards).
 */
async function readPage(
  client: RedisClient,
  filter: DlqFilter,
  sources: Source[],
  after: Position | null,
  limit: number,
  lim: ScanLimits,
  ahead: Position[] = [],
): Promise<Found> {
  const needle = filter.search ?? "";
  const mode = needle ? ("rows" as const) : ("pos" as const);
  const cursors: SourceCursor[] = sources.map((source) => ({
    source,
    last: ahead.find((p) => p.queue === source.queue) ?? null,
    more: true,
    buf: [],
  }));
  const out: Match[] = [];
  let scanned = 0;
  let lagging = cursors;
  const deadline = performance.now() + (lim.pageTimeMs ?? PAGE_TIME_MS);
  const chunk = lim.chunk ?? SCAN_CHUNK;
  let ids = chunk;
  for (;;) {
    const roundStart = performance.now();
    // Without text each source is asked for the whole rest of the page (positions are cheap);
    // with text a round reads about `ids` ids, shared by the sources that read.
    const n = Math.max(1, lagging.length);
    const want = needle ? Math.ceil((limit - out.length) / n) : limit - out.length;
    const budget = needle ? Math.max(want, Math.ceil(ids / n)) : want;
    const counts = await Promise.all(
      lagging.map((c) => advance(client, filter, c, c.last ?? after, { want, budget, needle, mode })),
    );
    const read = counts.reduce((a, b) => a + b, 0);
    scanned += read;
    const msPerId = Math.max(performance.now() - roundStart, 1e-3) / Math.max(1, read);
    const open = cursors.filter((c) => c.more);
    const frontier = open.length ? (leastAdvanced(open.map((c) => c.last ?? after)) ?? null) : null;
    // safe: at or before the frontier; everything once no source has more to read
    const isSafe = (m: Match) =>
      !open.length || (frontier !== null && comparePositions(m.pos, frontier) <= 0);
    const safe: Match[] = [];
    for (const c of cursors) {
      safe.push(...c.buf.filter(isSafe));
      c.buf = c.buf.filter((m) => !isSafe(m));
    }
    out.push(...safe.sort((a, b) => comparePositions(a.pos, b.pos)));
    if (out.length >= limit) {
      return { matches: out.slice(0, limit), next: out[limit - 1].pos, ahead: [], complete: true, scanned };
    }
    if (!open.length) return { matches: out, next: null, ahead: [], complete: true, scanned };
    // The next round reads what fits before the deadline at this round's pace (a chunk at most),
    // none when less than a tenth of a chunk fits: a page takes about PAGE_TIME_MS (or its first
    // round, when that is longer), not PAGE_TIME_MS + a round.
    ids = Math.min(chunk, Math.floor((deadline - performance.now()) / msPerId));
    if (scanned >= (lim.pageScanMax ?? pageScanMax()) || ids < chunk / 10) {
      // a queue past the frontier with no match kept back resumes where it is, not at the frontier
      const past = cursors.flatMap((c) =>
        c.last && !c.buf.length && frontier && comparePositions(c.last, frontier) > 0 ? [c.last] : [],
      );
      return { matches: out, next: frontier, ahead: past, complete: false, scanned };
    }
    lagging = open.filter((c) => (c.last ?? after) === frontier);
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

/** Entries of the scope within [from, to] and, with `from`, those at or newer than a position. */
async function entriesInScope(
  client: RedisClient,
  sources: Source[],
  f: DlqFilter,
  upTo?: Position,
): Promise<number> {
  const lo = upTo ? String(Math.max(upTo.score, f.from ?? 0)) : String(f.from ?? "-inf");
  const sizes = await Promise.all(sources.map((s) => client.zcount(s.index, lo, f.to ?? "+inf")));
  return sizes.reduce((a, b) => a + b, 0);
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
  const cursor = p.cursor ? decodeCursor(p.cursor) : null;
  const sources = await sourcesOf(client, f);
  const r = await readPage(client, f, sources, cursor?.at ?? null, p.limit, limits, cursor?.ahead);
  const [matches, total, through] = await Promise.all([
    withRows(client, r.matches),
    entriesInScope(client, sources, f),
    r.next ? entriesInScope(client, sources, f, r.next) : null,
  ]);
  return {
    items: matches.map((m) => summaryFromRow(m.pos.queue, m.row)),
    nextCursor: r.next ? encodeCursor(r.next, r.ahead) : null,
    complete: r.complete,
    partial: !r.complete,
    scanned: r.scanned,
    total,
    // entries that share the cursor's time are counted as read: an estimate for ties, never over total
    searched: Math.min(total, through ?? total),
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
  const r = await readPage(client, filter, await sourcesOf(client, filter), after, limit, limits);
  return { matches: r.matches.map((m) => m.pos), next: r.next };
}
