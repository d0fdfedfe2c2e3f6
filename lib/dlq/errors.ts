/**
 * The errors the DLQ admin API throws, each with a stable `code` the console and the CLI map to
 * a status (NOT_FOUND → 404, INVALID_INPUT → 400, BUSY → 429: too many bulk operations running)
 * and a message a person can act on.
 */
import { RequeueError } from "../errors.ts";

export type DlqErrorCode = "NOT_FOUND" | "INVALID_INPUT" | "SCRIPT_FAILED" | "BUSY";

export class DlqError extends RequeueError<DlqErrorCode> {
  constructor(code: DlqErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "DlqError";
  }
}

export const notFound = (queue: string, id: string) =>
  new DlqError("NOT_FOUND", `dead letter ${JSON.stringify(id)} not found in queue ${JSON.stringify(queue)}`);

export const invalidInput = (what: string, problem: string) =>
  new DlqError("INVALID_INPUT", `invalid ${what}: ${problem}`);

/** Every failed script call leaves through here: the script's name and what it was doing. */
export function scriptError(err: unknown, ctx: { command: string; queue: string }): DlqError {
  const why = err instanceof Error ? err.message : String(err);
  return new DlqError(
    "SCRIPT_FAILED",
    `${ctx.command} on queue ${JSON.stringify(ctx.queue)} failed: ${why}`,
    {
      cause: err,
    },
  );
}

export const isDlqError = (err: unknown, code?: DlqErrorCode): err is DlqError =>
  err instanceof DlqError && (code === undefined || err.code === code);
