/**
 * The dead letters page's state as it lives in the URL: queue, error group, time range, search
 * text, cursor, page size and tab. One parser and one serialiser so a pasted link restores
 * exactly what its author saw, and the API client sends the same filters to /api/v1.
 */
export const RANGES = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
} as const;
export type RangeKey = keyof typeof RANGES;

/** An id no element has: (list)/layout.tsx holds the first paint for it, that is until the HTML ends. */
export const LIST_END_ID = "dead-letters-end";

/**
 * The Element Timing name of the rows' error cells (dead-letter-table.tsx): the browser reports
 * when their text was first painted on screen (what an admin waits for; bench/console-browser.ts).
 */
export const ROWS_PAINT_NAME = "dead-letter-rows";

export const PAGE_SIZES = [25, 50, 100, 200] as const; // lib/dlq PAGE_SIZE_MAX is 200
export const DEFAULT_PAGE_SIZE = 50;

export type DeadLetterTab = "list" | "groups";

export interface DeadLetterFilters {
  queue?: string;
  /** error fingerprint */
  group?: string;
  range?: RangeKey;
  /** text searched in error messages */
  q?: string;
}

export interface DeadLetterView extends DeadLetterFilters {
  tab: DeadLetterTab;
  cursor?: string;
  limit: number;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function get(params: Params, name: string): string | undefined {
  const v = params instanceof URLSearchParams ? params.get(name) : params[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim() : undefined;
}

export function parseView(params: Params): DeadLetterView {
  const range = get(params, "range");
  const limit = Number(get(params, "limit"));
  return {
    tab: get(params, "tab") === "groups" ? "groups" : "list",
    queue: get(params, "queue"),
    group: get(params, "group"),
    range: range && range in RANGES ? (range as RangeKey) : undefined,
    q: get(params, "q"),
    cursor: get(params, "cursor"),
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** Only the filters (what "matching" means for bulk actions and export). */
export function filtersOf(v: DeadLetterFilters): DeadLetterFilters {
  const f: DeadLetterFilters = {};
  if (v.queue) f.queue = v.queue;
  if (v.group) f.group = v.group;
  if (v.range) f.range = v.range;
  if (v.q) f.q = v.q;
  return f;
}

/**
 * The query of `GET /api/v1/dead-letters` for a view: what the browser sends, and what the page
 * reads on the server for its first paint (validated there with the route's own schema).
 */
export function listQueryOf(v: DeadLetterView): Record<string, string | number> {
  const q: Record<string, string | number> = { ...filtersOf(v), limit: v.limit };
  if (v.cursor) q.cursor = v.cursor;
  return q;
}

/** URL search string for the page; defaults are left out so links stay short. */
export function viewSearch(v: Partial<DeadLetterView>): string {
  const p = new URLSearchParams();
  if (v.tab && v.tab !== "list") p.set("tab", v.tab);
  for (const [k, val] of Object.entries(filtersOf(v))) p.set(k, String(val));
  if (v.cursor) p.set("cursor", v.cursor);
  if (v.limit && v.limit !== DEFAULT_PAGE_SIZE) p.set("limit", String(v.limit));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The time window of a range, as epoch ms, evaluated now. */
export function rangeWindow(range: RangeKey | undefined, now = Date.now()): { from?: number; to?: number } {
  return range ? { from: now - RANGES[range] } : {};
}

/** A sentence naming the filters: "of `documents` in group ab12… matching "timeout" in the last 1h". */
export function describeFilters(f: DeadLetterFilters): string {
  const parts: string[] = [];
  parts.push(f.queue ? `of \`${f.queue}\`` : "of all queues");
  if (f.group) parts.push(`in error group ${f.group.slice(0, 12)}`);
  if (f.q) parts.push(`whose error contains "${f.q}"`);
  if (f.range) parts.push(`dead in the last ${f.range}`);
  return parts.join(" ");
}
