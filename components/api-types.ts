/**
 * The JSON shapes /api/v1 answers with, shared by the route handlers (which build them) and the
 * console's API client (which reads them). Library types are re-used where they fit as they are.
 */
import type { BulkProgress, DeadLetterSummary, DlqPage } from "#lib/dlq/index.ts";
import type { HistoryPoint, HistoryRange, QueueHistory } from "#lib/queue/history-types.ts";
import type { AttemptError, DeadLetter, ErrorGroup } from "#lib/queue/types.ts";

export type {
  AttemptError,
  BulkProgress,
  DeadLetter,
  DeadLetterSummary,
  DlqPage,
  ErrorGroup,
  HistoryPoint,
  HistoryRange,
  QueueHistory,
};

export interface ApiErrorBody {
  error: { status: number; message: string; details?: unknown };
}

export interface Health {
  status: "ok" | "degraded";
  redis: "up" | "down";
  time: string;
}

export interface QueueSizes {
  ready: number;
  active: number;
  retry: number;
  dead: number;
}

/** One minute of a queue's counters. */
export interface QueuePoint {
  t: number;
  added: number;
  completed: number;
  failed: number;
  dead: number;
}

export interface QueueSummary {
  name: string;
  sizes: QueueSizes;
  /** consumers lease nothing from a paused queue (lib/queue/pause.ts) */
  paused: boolean;
  /** when it was paused (ms), null while running */
  pausedAt: number | null;
  /** completed per minute, averaged over the series window; null without the series */
  throughput: number | null;
  /** failed attempts ÷ (completed + failed attempts) over the window, null without traffic */
  failureRate: number | null;
  oldestDeadAgeMs: number | null;
  /** completed per second over the last complete minute; null without the series */
  jobsPerSecond: number | null;
  /** how long the job next in line has waited since it became ready (ms); null when none waits */
  latencyMs: number | null;
  /** the complete minutes of the window, oldest first (the minute in progress is left out) */
  series: QueuePoint[];
}

/** POST /api/v1/queues/{queue}/pause and …/resume: the state now; `changed` false when it already was. */
export interface PauseResponse {
  queue: string;
  paused: boolean;
  pausedAt: number | null;
  changed: boolean;
}

/** A worker replica's last heartbeat (worker/heartbeat.ts). */
export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  lastBeatAt: number;
  intervalMs: number;
  /** beat within three intervals */
  alive: boolean;
}

export interface QueuesResponse {
  queues: QueueSummary[];
  workers: WorkerBeat[];
  /** the series window in minutes */
  windowMinutes: number;
  /** the queue latency alert's threshold (ms): a card flags a queue waiting longer */
  latencyThresholdMs: number;
}

/** GET /dead-letters answers lib/dlq's page as it is: summaries, nextCursor, complete, scanned. */
export type DeadLetterPage = DlqPage;

/** Reads that stop at API_SCAN_LIMIT say so: `partial`, how much was read, and where to go on. */
interface Bounded {
  partial: boolean;
  scanned: number;
  nextCursor: string | null;
}

export interface GroupsResponse extends Bounded {
  groups: ErrorGroup[];
}

/** With `partial`, `count` is a floor: at least that many match; `total` entries are to be read in all. */
export interface CountResponse extends Bounded {
  count: number;
  total: number;
}

/** POST /dead-letters/requeue|delete: small scopes run inline, big ones start a bulk op. */
export type MutationResult =
  | { mode: "inline"; action: "requeue" | "delete"; done: number; gone: number }
  | { mode: "bulk"; action: "requeue" | "delete"; bulkId: string };
