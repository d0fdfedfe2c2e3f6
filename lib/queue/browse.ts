/**
 * The jobs of a queue in each state, a page at a time, for the console, the API and the CLI.
 * Each page is one read-only script call (lib/redis/lua/jobs/) that reads the state's index from
 * an opaque cursor and the few fields a row needs, never a payload:
 *   waiting    the ready list, oldest first (consumers take from its tail), with the position in
 *              line; O(offset / entries per list node + page), + O(2,000) when the line moved
 *   active     the active set, the lease expiring soonest first, with who holds each lease and
 *              whether that consumer still beats; O(log n + page)
 *   scheduled  the retry set, the next due first; retries and delayed jobs told apart; O(log n + page)
 *   completed  the completed set, the most recent first, with each job's record; O(log n + page)
 * (bench/states.ts measures the first page of each at 1,000,000 jobs.)
 */
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { parseCompletedRecord } from "./completed.ts";
import { invalidJobInput } from "./job-errors.ts";
import { runJobsScript } from "./jobs-scripts.ts";
import type { AttemptError } from "./types.ts";

export const LIST_STATES = ["waiting", "active", "scheduled", "completed"] as const;
export type ListState = (typeof LIST_STATES)[number];
export const JOBS_PAGE_MAX = 100;
export const JOBS_PAGE_DEFAULT = 25;

export interface WaitingRow {
  id: string;
  /** place in line, 0 = the next to be leased */
  position: number;
  createdAt: number | null;
  /** since it was added (a retried or requeued job: since it was first added) */
  waitedMs: number | null;
  attempts: number;
  maxAttempts: number;
  payloadBytes: number;
}

/** A consumer's last heartbeat (written with its lease extensions). */
export interface ConsumerBeat {
  id: string;
  host: string | null;
  pid: number | null;
  lastBeatAt: number | null;
  /** how often it beats, ms */
  everyMs: number | null;
}

export interface ActiveRow {
  id: string;
  consumer: ConsumerBeat;
  startedAt: number | null;
  leaseExpiresAt: number;
  attempt: number;
  maxAttempts: number;
  createdAt: number | null;
  /** leased ahead of a free slot, not started yet */
  prefetched: boolean;
  /** "heartbeating": its consumer beats; "orphaned": lease expired or consumer silent */
  lease: "heartbeating" | "orphaned";
  /** when the periodic reclaim puts an orphaned job back (its lease deadline); null otherwise */
  reclaimAt: number | null;
  payloadBytes: number;
}

export interface ScheduledRow {
  id: string;
  /** "retry": failed before and waits for its next attempt; "delayed": added with a delay */
  kind: "retry" | "delayed";
  dueAt: number;
  attempts: number;
  maxAttempts: number;
  createdAt: number | null;
  lastError: AttemptError | null;
  payloadBytes: number;
}

export interface CompletedRow {
  id: string;
  finishedAt: number;
  durationMs: number | null;
  attempts: number | null;
  createdAt: number | null;
  /** the record kept the payload (COMPLETED_KEEP_PAYLOAD): it can be requeued */
  payloadKept: boolean;
}

interface Rows {
  waiting: WaitingRow;
  active: ActiveRow;
  scheduled: ScheduledRow;
  completed: CompletedRow;
}

export interface JobsPage<S extends ListState = ListState> {
  queue: string;
  state: S;
  /** jobs in this state now */
  total: number;
  items: Rows[S][];
  /** where the next page starts; null when this one reached the end */
  nextCursor: string | null;
}

export interface JobsPageRequest<S extends ListState> {
  state: S;
  cursor?: string;
  limit?: number;
}

type Cursor = [number, string];
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decode(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === "string")
      return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw invalidJobInput("cursor", "not a cursor returned by a previous page of this state");
}

const num = (s: unknown) => (s === "" || s === undefined || s === null ? null : Number(s));
const str = (v: unknown) => String(v);

/** A consumer's heartbeat text "<beat> <every> <pid> <host>" (extend-3.lua). */
export function parseBeat(id: string, text: string): ConsumerBeat {
  const [beat, every, pid, host] = text.split(" ", 4);
  return {
    id,
    host: host || null,
    pid: num(pid),
    lastBeatAt: num(beat),
    everyMs: num(every),
  };
}

function parseError(json: string): AttemptError | null {
  if (!json) return null;
  try {
    const e = JSON.parse(json);
    return e && typeof e === "object" ? (e as AttemptError) : null;
  } catch {
    return null;
  }
}

/** A page of the jobs of `queue` in one state (limit 1..100, default 25). */
export async function listJobs<S extends ListState>(
  client: RedisClient,
  queue: string,
  req: JobsPageRequest<S>,
  now = Date.now(),
): Promise<JobsPage<S>> {
  const limit = req.limit ?? JOBS_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > JOBS_PAGE_MAX)
    throw invalidJobInput("limit", `a whole number from 1 to ${JOBS_PAGE_MAX}`);
  if (!(LIST_STATES as readonly string[]).includes(req.state))
    throw invalidJobInput("state", `one of ${LIST_STATES.join(", ")}`);
  const k = queueKeys(queue);
  const cursor = decode(req.cursor);
  const page = {
    queue,
    state: req.state,
    total: 0,
    items: [] as unknown[],
    nextCursor: null as string | null,
  };
  if (req.state === "waiting") {
    const args = [cursor?.[0] ?? 0, cursor?.[1] ?? "", limit];
    const r = await runJobsScript<(string | number)[]>(client, "waiting", queue, [k.ready, k.job("")], args);
    const start = Number(r[1]);
    page.total = Number(r[0]);
    for (let i = 2; i < r.length; i += 5) {
      const createdAt = num(r[i + 1]);
      page.items.push({
        id: str(r[i]),
        position: start + (i - 2) / 5,
        createdAt,
        waitedMs: createdAt === null ? null : Math.max(0, now - createdAt),
        attempts: Number(r[i + 2] || 0),
        maxAttempts: Number(r[i + 3] || 0),
        payloadBytes: Number(r[i + 4]),
      } satisfies WaitingRow);
    }
    const end = start + page.items.length;
    if (page.items.length === limit && end < page.total)
      page.nextCursor = encode([end, (page.items.at(-1) as WaitingRow).id]);
    return page as JobsPage<S>;
  }
  const zargs = [cursor ? cursor[0] : "", cursor?.[1] ?? "", limit];
  let scoreOf: (row: unknown) => number;
  if (req.state === "active") {
    const r = await runJobsScript<(string | number)[]>(
      client,
      "active",
      queue,
      [k.active, k.job(""), k.consumers],
      zargs,
    );
    page.total = Number(r[0]);
    for (let i = 1; i < r.length; i += 11) page.items.push(activeRow(r.slice(i, i + 11).map(str)));
    scoreOf = (row) => (row as ActiveRow).leaseExpiresAt;
  } else if (req.state === "scheduled") {
    const r = await runJobsScript<(string | number)[]>(
      client,
      "scheduled",
      queue,
      [k.retry, k.job("")],
      zargs,
    );
    page.total = Number(r[0]);
    for (let i = 1; i < r.length; i += 7) {
      const attempts = Number(r[i + 2] || 0);
      page.items.push({
        id: str(r[i]),
        kind: attempts > 0 ? "retry" : "delayed",
        dueAt: Number(r[i + 1]),
        attempts,
        maxAttempts: Number(r[i + 3] || 0),
        createdAt: num(r[i + 4]),
        lastError: parseError(str(r[i + 5])),
        payloadBytes: Number(r[i + 6]),
      } satisfies ScheduledRow);
    }
    scoreOf = (row) => (row as ScheduledRow).dueAt;
  } else {
    const r = await runJobsScript<(string | number)[]>(
      client,
      "completed",
      queue,
      [k.completed, k.done],
      zargs,
    );
    page.total = Number(r[0]);
    for (let i = 1; i < r.length; i += 4) {
      const rec = parseCompletedRecord(str(r[i + 2]));
      page.items.push({
        id: str(r[i]),
        finishedAt: Number(r[i + 1]),
        durationMs: rec?.durationMs ?? null,
        attempts: rec?.attempts ?? null,
        createdAt: rec?.createdAt ?? null,
        payloadKept: r[i + 3] === 1,
      } satisfies CompletedRow);
    }
    scoreOf = (row) => (row as CompletedRow).finishedAt;
  }
  const last = page.items.at(-1) as { id: string } | undefined;
  if (last && page.items.length === limit) page.nextCursor = encode([scoreOf(last), last.id]);
  return page as JobsPage<S>;
}

/** An active row from the 11 fields of active-3.lua (also the shape show-8.lua's parts make). */
export function activeRow(f: string[]): ActiveRow {
  const [id, deadline, consumer, startedAt, attempts, max, createdAt, pf, orphaned, beat, bytes] = f;
  const orphan = orphaned === "1";
  return {
    id,
    consumer: beat
      ? parseBeat(consumer, beat)
      : { id: consumer, host: null, pid: null, lastBeatAt: null, everyMs: null },
    startedAt: num(startedAt),
    leaseExpiresAt: Number(deadline),
    attempt: Number(attempts || 0),
    maxAttempts: Number(max || 0),
    createdAt: num(createdAt),
    prefetched: pf === "1",
    lease: orphan ? "orphaned" : "heartbeating",
    reclaimAt: orphan ? Number(deadline) : null,
    payloadBytes: Number(bytes || 0),
  };
}
