/**
 * What the console's job reads and actions refuse with: a stable code (lib/errors.ts maps it to
 * a status and an exit code) and, when the job is somewhere else than the action needs, the state
 * it is in now (`details.state`), so a client that listed it a moment ago can say what happened.
 */
import { RequeueError } from "../errors.ts";

export type JobErrorCode = "NOT_FOUND" | "CONFLICT" | "INVALID_INPUT" | "SCRIPT_FAILED";

export type JobState = "waiting" | "active" | "scheduled" | "completed" | "dead";
export const JOB_STATES = ["waiting", "active", "scheduled", "completed", "dead"] as const;

export class JobError extends RequeueError<JobErrorCode> {
  constructor(
    code: JobErrorCode,
    message: string,
    options?: { cause?: unknown; details?: { state: JobState } },
  ) {
    super(code, message, options);
    this.name = "JobError";
    if (options?.details) this.details = options.details;
  }
  /** the job's current state, for a CONFLICT */
  readonly details?: { state: JobState };
}

const named = (queue: string, id: string) => `job ${JSON.stringify(id)} of queue ${JSON.stringify(queue)}`;

export const jobNotFound = (queue: string, id: string) =>
  new JobError("NOT_FOUND", `no state of queue ${JSON.stringify(queue)} has job ${JSON.stringify(id)}`);

export const jobInState = (queue: string, id: string, state: JobState, wanted: string) =>
  new JobError("CONFLICT", `${named(queue, id)} is ${state}, not ${wanted}`, { details: { state } });

export const invalidJobInput = (what: string, problem: string) =>
  new JobError("INVALID_INPUT", `invalid ${what}: ${problem}`);

export const isJobError = (err: unknown, code?: JobErrorCode): err is JobError =>
  err instanceof JobError && (code === undefined || err.code === code);
