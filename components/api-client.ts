/**
 * The console's one API client: every browser read goes through here to /api/v1 (mutations go
 * through server actions). Failures become `ApiError` with the HTTP status, so the shell can tell
 * "Redis down" (503) from "not found" (404) and keep showing the last known data.
 */
import type {
  ApiErrorBody,
  BulkProgress,
  CountResponse,
  DeadLetter,
  DeadLetterPage,
  FoundJob,
  GroupsResponse,
  Health,
  HistoryRange,
  JobDetail,
  JobLogsPage,
  JobsPage,
  ListState,
  QueueHistory,
  QueueSummary,
  QueuesResponse,
} from "./api-types.ts";
import {
  type DeadLetterFilters,
  type DeadLetterView,
  filtersOf,
  listQueryOf,
} from "./dead-letters/filters.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  get redisDown(): boolean {
    return this.status === 503;
  }
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "The console server is unreachable");
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const message = (body as ApiErrorBody | null)?.error?.message ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return body as T;
}

/** Filters as /api/v1 query parameters. */
export function filterQuery(f: DeadLetterFilters): Query {
  return { ...filtersOf(f) };
}

export const api = {
  /** /api/health answers 503 with a body when Redis is down: that is data, not an error. */
  async health(signal?: AbortSignal): Promise<Health> {
    try {
      const res = await fetch("/api/health", { signal, cache: "no-store" });
      return (await res.json()) as Health;
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      throw new ApiError(0, "The console server is unreachable");
    }
  },
  queues: (signal?: AbortSignal) => getJson<QueuesResponse>("/api/v1/queues", undefined, signal),
  /** Sizes and heartbeats without the per-minute series: what the top bar and filters need. */
  queuesLight: (signal?: AbortSignal) =>
    getJson<QueuesResponse>("/api/v1/queues", { series: "false" }, signal),
  queue: (name: string, signal?: AbortSignal) =>
    getJson<QueueSummary>(`/api/v1/queues/${encodeURIComponent(name)}`, undefined, signal),
  queueHistory: (name: string, range: HistoryRange, signal?: AbortSignal) =>
    getJson<QueueHistory>(`/api/v1/queues/${encodeURIComponent(name)}/history`, { range }, signal),
  jobs: (queue: string, state: ListState, cursor: string | undefined, signal?: AbortSignal) =>
    getJson<JobsPage>(`/api/v1/queues/${encodeURIComponent(queue)}/jobs`, { state, cursor }, signal),
  job: (queue: string, id: string, signal?: AbortSignal) =>
    getJson<JobDetail>(
      `/api/v1/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}`,
      undefined,
      signal,
    ),
  /** A job id in every queue (404 when none has it). */
  findJob: (id: string, signal?: AbortSignal) =>
    getJson<FoundJob>(`/api/v1/jobs/${encodeURIComponent(id)}`, undefined, signal),
  jobLogs: (queue: string, id: string, signal?: AbortSignal) =>
    getJson<JobLogsPage>(
      `/api/v1/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}/logs`,
      { limit: 500 },
      signal,
    ),
  deadLetters: (v: DeadLetterView, signal?: AbortSignal) =>
    getJson<DeadLetterPage>("/api/v1/dead-letters", listQueryOf(v), signal),
  /** `cursor`: a previous partial count's nextCursor, to count on from there (add the counts). */
  deadLetterCount: (f: DeadLetterFilters, signal?: AbortSignal, cursor?: string) =>
    getJson<CountResponse>("/api/v1/dead-letters/count", { ...filterQuery(f), cursor }, signal),
  deadLetter: (queue: string, id: string, signal?: AbortSignal) =>
    getJson<DeadLetter>(
      `/api/v1/dead-letters/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`,
      undefined,
      signal,
    ),
  groups: (f: DeadLetterFilters, signal?: AbortSignal) =>
    getJson<GroupsResponse>("/api/v1/dead-letters/groups", filterQuery(f), signal),
  bulk: (id: string, signal?: AbortSignal) =>
    getJson<BulkProgress>(`/api/v1/bulk/${encodeURIComponent(id)}`, undefined, signal),
  /** Part B's endpoint; its shape is read loosely (an array, or `{ alerts: [...] }`). */
  firingAlerts: (signal?: AbortSignal) => getJson<unknown>("/api/v1/alerts", { state: "firing" }, signal),
  exportUrl: (f: DeadLetterFilters, format: "json" | "csv") =>
    withQuery("/api/v1/dead-letters/export", { ...filterQuery(f), format }),
};
