/**
 * What users see of a job: the options they pass to add, the Job a handler receives, and the
 * settings a queue derives from configuration. (The stored shape is in ./types.ts.)
 */
import type { Config } from "../config.ts";

export interface BackoffOptions {
  /** "exponential" (default) or "fixed" (every retry waits `baseMs`). */
  type?: "exponential" | "fixed";
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Longest delay, in ms (exponential only). */
  maxMs?: number;
}

export interface JobOptions {
  /** Your id for the job (not all digits). Adding an id that exists changes nothing. */
  jobId?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Attempts in all before the job becomes a dead letter (default MAX_RETRY_ATTEMPTS). */
  maxAttempts?: number;
  /** Wait between attempts (default exponential from RETRY_BACKOFF_BASE_SECONDS, capped). */
  backoff?: BackoffOptions;
  /** Who or what produced the job; shown with dead letters. A JSON object. */
  metadata?: Record<string, unknown>;
}

/** Options of one add() or addBatch() call (not stored with the jobs). */
export interface AddCallOptions {
  /**
   * Reject with AddTimeoutError (code ADD_TIMEOUT) when Redis has not acknowledged the add after
   * this many ms; 0 = wait without a bound. Default JOB_ADD_TIMEOUT_MS.
   */
  addTimeoutMs?: number;
}

export interface AddResult {
  id: string;
  /** false when a job with this id already existed: nothing was changed. */
  added: boolean;
}

export interface Job<T = unknown> {
  id: string;
  queue: string;
  data: T;
  metadata: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
  maxAttempts: number;
  createdAt: number;
  /**
   * Reports progress: a number from 0 to 100, or a JSON object of at most JOB_PROGRESS_MAX_BYTES.
   * Cheap: the latest value rides with the consumer's next round trip (docs/queue.md).
   */
  progress(value: number | Record<string, unknown>): void;
  /** Appends a log line (cut to JOB_LOG_MAX_LINE_BYTES, redacted); the job keeps the newest JOB_LOG_MAX_LINES. */
  log(text: string): void;
}

/** The parts of the configuration a queue uses, in ms where Config says seconds. */
export interface QueueSettings {
  prefix: string;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxPayloadBytes: number;
  leaseMs: number;
  jobTimeoutMs: number;
  errorMessageMax: number;
  logMaxLines: number;
  logLineMaxBytes: number;
  progressMaxBytes: number;
  dlqRetentionMs: number;
  dlqMaxEntries: number;
  completedRetentionMs: number;
  completedMaxEntries: number;
  /** completed records keep payload and metadata (COMPLETED_KEEP_PAYLOAD) */
  completedKeepPayload: boolean;
  /** add() waits until this many replicas have the jobs (0: it does not wait) */
  addReplicas: number;
  addReplicasTimeoutMs: number;
  /** add() rejects with ADD_TIMEOUT after this many ms without an answer (0: no bound) */
  addTimeoutMs: number;
}

export function queueSettings(config: Config): QueueSettings {
  return {
    prefix: config.REDIS_KEY_PREFIX,
    maxAttempts: Math.max(1, config.MAX_RETRY_ATTEMPTS),
    backoffBaseMs: Math.round(config.RETRY_BACKOFF_BASE_SECONDS * 1000),
    backoffMaxMs: Math.round(config.RETRY_BACKOFF_MAX_SECONDS * 1000),
    maxPayloadBytes: config.JOB_MAX_PAYLOAD_BYTES,
    leaseMs: Math.round(config.JOB_LEASE_SECONDS * 1000),
    jobTimeoutMs: Math.round(config.JOB_TIMEOUT_SECONDS * 1000),
    errorMessageMax: config.ERROR_MESSAGE_MAX_LENGTH,
    logMaxLines: config.JOB_LOG_MAX_LINES,
    logLineMaxBytes: config.JOB_LOG_MAX_LINE_BYTES,
    progressMaxBytes: config.JOB_PROGRESS_MAX_BYTES,
    dlqRetentionMs: Math.round(config.DLQ_RETENTION_DAYS * 86_400_000),
    dlqMaxEntries: config.DLQ_MAX_ENTRIES,
    completedRetentionMs: Math.round(config.COMPLETED_RETENTION_SECONDS * 1000),
    completedMaxEntries: config.COMPLETED_MAX_ENTRIES,
    completedKeepPayload: config.COMPLETED_KEEP_PAYLOAD,
    addReplicas: config.JOB_ADD_REPLICAS,
    addReplicasTimeoutMs: config.JOB_ADD_REPLICAS_TIMEOUT_MS,
    addTimeoutMs: config.JOB_ADD_TIMEOUT_MS,
  };
}
