/**
 * The JSON shapes /api/v1 answers with, shared by the route handlers (which build them) and the
 * console's API client (which reads them). Library types are re-used where they fit as they are.
 */
import type { AttemptError, DeadLetter, DeadReason, ErrorGroup } from "../lib/queue/types.ts";

export type { DeadLetter, ErrorGroup, AttemptError };

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
  /** per minute, averaged over the series window */
  throughput: number;
  /** failed attempts ÷ (completed + failed attempts) over the window, null without traffic */
  failureRate: number | null;
  oldestDeadAgeMs: number | null;
  series: QueuePoint[];
}

export interface WorkerBeat {
  id: string;
  lastBeatAt: number;
  [k: string]: unknown;
}

export interface QueuesResponse {
  queues: QueueSummary[];
  workers: WorkerBeat[];
  /** the series window in minutes */
  windowMinutes: number;
}

/** A dead letter as a table row: no payload, the last error only. */
export interface DeadLetterRow {
  queue: string;
  id: string;
  fingerprint: string;
  errorName: string;
  message: string;
  attempts: number;
  reason: DeadReason;
  deadAt: number;
  firstFailedAt: number;
}

export interface DeadLetterPage {
  items: DeadLetterRow[];
  nextCursor: string | null;
  /** how many match the filters, when the library can tell cheaply */
  total: number | null;
}

export interface GroupsResponse {
  groups: ErrorGroup[];
}

export interface CountResponse {
  count: number;
}

export type BulkState = "running" | "done" | "cancelled" | "failed";

export interface BulkProgress {
  id: string;
  action: "requeue" | "delete";
  state: BulkState;
  total: number;
  processed: number;
  /** requeued or deleted */
  succeeded: number;
  /** already gone when reached */
  missing: number;
  error?: string;
}

/** POST /dead-letters/requeue|delete: small scopes run inline, big ones start a bulk op. */
export type MutationResult =
  | { mode: "inline"; action: "requeue" | "delete"; succeeded: number; missing: number }
  | { mode: "bulk"; action: "requeue" | "delete"; bulkId: string; total: number };
