/**
 * Every error the queue raises, and the return codes its scripts share.
 * Users throw `UnrecoverableError` from a handler to skip the retries.
 */
import { RequeueError } from "../errors.ts";
import type { AddResult } from "./job.ts";

/** Throw from a handler when retrying cannot help (bad input): the job goes to the DLQ at once. */
export class UnrecoverableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnrecoverableError";
  }
}

/** A failure that is not the handler's: the stored payload could not be parsed. */
export class CorruptJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptJob";
  }
}

/** The handler ran longer than its timeout; counts as a failed attempt. */
export class JobTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`handler timed out after ${timeoutMs} ms`);
    this.name = "JobTimeoutError";
  }
}

export type QueueErrorCode =
  | "PAYLOAD_NOT_JSON"
  | "PAYLOAD_TOO_LARGE"
  | "INVALID_OPTION"
  | "LEASE_LOST"
  | "SCRIPT_FAILED"
  | "NOT_REPLICATED"
  | "ADD_TIMEOUT";

export class QueueError extends RequeueError<QueueErrorCode> {
  constructor(code: QueueErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "QueueError";
  }
}

/**
 * The jobs were written on the master, but fewer replicas than asked for confirmed them in time:
 * a failover now could lose them. Adding them again with the same job ids is safe (an existing
 * id is not added twice); `results` says which ids they got.
 */
export class NotReplicatedError extends QueueError {
  constructor(
    readonly results: AddResult[],
    readonly replicas: number,
    readonly wanted: number,
  ) {
    super(
      "NOT_REPLICATED",
      `${results.length} job(s) reached ${replicas} of ${wanted} replica(s) in time: written on the master, they may not survive a failover`,
    );
    this.name = "NotReplicatedError";
  }
}

/**
 * Redis did not answer an add within its bound (JOB_ADD_TIMEOUT_MS or `addTimeoutMs`): down,
 * paused, or too slow. The jobs may or may not be stored — the command may still be applied when
 * Redis answers. Add them again with the same job ids: an existing id is not added twice.
 */
export class AddTimeoutError extends QueueError {
  constructor(
    readonly queue: string,
    readonly timeoutMs: number,
    readonly jobs: number,
  ) {
    super(
      "ADD_TIMEOUT",
      `add of ${jobs} job(s) to queue ${queue} was not acknowledged within ${timeoutMs} ms (Redis down, paused or too slow): ` +
        "they may or may not be stored, and may still be stored when Redis answers; add them again with the same jobId (an existing id is not added twice)",
    );
    this.name = "AddTimeoutError";
  }
}

/** Return codes of the complete and fail scripts (see each script's header); negative: lease lost. */
export const RC = {
  OK: 1,
  RETRY: 1,
  DEAD: 2,
} as const;
