/**
 * The shapes a job and a dead letter have, shared by the producer, the consumer, the worker,
 * the DLQ admin API (lib/dlq) and the console. docs/storage.md shows how they sit in Redis.
 */

/** Fields of the job hash `queueKeys(q).job(id)`. All values are strings in Redis. */
export const JOB_FIELDS = {
  payload: "payload", // JSON text of the payload
  meta: "meta", // JSON text of the producer's metadata (object)
  attempts: "attempts", // attempts started so far (integer)
  maxAttempts: "max", // attempts allowed in total (integer >= 1)
  backoffBase: "bb", // backoff base in ms for this job
  backoffMax: "bm", // backoff cap in ms
  createdAt: "ct", // ms
  errors: "errors", // JSON array of AttemptError, newest last, at most 25; each object's first key is "attempt"
  lastError: "le", // JSON {n, name, message}: the newest error in `errors` and how many it holds ("" = read `errors`); written with it
  fingerprint: "fp", // error fingerprint of the last failure (dead letters)
  reason: "reason", // why it is dead: "failed" | "unrecoverable" | "corrupt"
  firstFailedAt: "ff", // ms
  lastFailedAt: "lf", // ms
  readyAt: "rt", // ms: when a delayed job, a retry or a requeued dead letter is (was) due to run
  deadAt: "dt", // ms
  history: "hist", // JSON array of HistoryEntry (requeues, payload edits)
  lease: "lease", // consumer id holding the lease (while active)
  progress: "prog", // JSON text of the handler's last job.progress() (a number 0..100 or an object)
  logLines: "logn", // log lines written in all (the logs list keeps the newest JOB_LOG_MAX_LINES)
  startedAt: "st", // ms: when the current attempt was leased (while active)
  prefetched: "pf", // "1" while leased ahead of a free slot and not known to have started (attempt refundable)
} as const;

/** Fields of the hash `queueKeys(q).totals`: lifetime counters of a queue's DLQ. */
export const TOTALS_FIELDS = {
  dropped: "dropped", // dead letters dropped by retention, in all
  droppedAge: "droppedAge", // … because older than DLQ_RETENTION_DAYS
  droppedCap: "droppedCap", // … because the DLQ was over DLQ_MAX_ENTRIES
} as const;

/** Fields of the hash `queueKeys(q).groupInfo(fp)`: one error group (fingerprint) of a DLQ. */
export const GROUP_INFO_FIELDS = {
  name: "name", // error name of the group's first failure
  message: "message", // a sample message (redacted, bounded)
  topFrame: "frame", // top stack frame, may be absent
  firstSeen: "first", // ms
  lastSeen: "last", // ms
} as const;

export interface AttemptError {
  attempt: number;
  name: string;
  message: string; // redacted, cut to ERROR_MESSAGE_MAX_LENGTH
  stack?: string; // redacted
  at: number; // ms
  consumer: string;
}

export interface HistoryEntry {
  at: number;
  action: "requeued" | "payload-edited";
  by?: string;
  /** the payload before an edit, as JSON text */
  originalPayload?: string;
}

export type DeadReason = "failed" | "unrecoverable" | "corrupt";

/** What the handler reported before the job died (lib/queue/reports.ts). */
export interface HandlerReport {
  /** the last job.progress() value, or null */
  progress: unknown;
  /** the kept log lines, oldest first, numbered from 1 for the first line ever written */
  lines: { n: number; at: number; attempt: number; text: string }[];
  /** lines written in all (the oldest beyond JOB_LOG_MAX_LINES are gone) */
  total: number;
}

export interface DeadLetter {
  queue: string;
  id: string;
  /** the parsed payload, or the raw stored text when it is corrupt */
  payload: unknown;
  metadata: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  errors: AttemptError[];
  fingerprint: string;
  reason: DeadReason;
  firstFailedAt: number;
  lastFailedAt: number;
  deadAt: number;
  createdAt: number;
  history: HistoryEntry[];
  /** progress and log lines (set by getDeadLetter; absent in list rows) */
  report?: HandlerReport;
}

export interface ErrorGroup {
  queue: string;
  fingerprint: string;
  count: number;
  name: string;
  sampleMessage: string;
  topFrame?: string;
  firstSeen: number;
  lastSeen: number;
}
