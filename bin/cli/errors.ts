/**
 * The one error type commands throw. Every failure leaves through `CliError`, so the exit code
 * always means the same thing (lib/errors.ts, documented in docs/cli.md):
 *   0 ok · 1 failure · 2 bad arguments or configuration · 3 not found · 4 Redis unreachable
 */
import { EXIT, type ExitCode, exitCodeOf } from "../../lib/errors.ts";

export { EXIT, type ExitCode };

const CODE_NAMES: Record<ExitCode, string> = {
  0: "ok",
  1: "failure",
  2: "bad_arguments",
  3: "not_found",
  4: "redis_unreachable",
};

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.FAILURE,
    /** A line shown after the message, e.g. "see `requeue dlq list --help`". */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }

  get code(): string {
    return CODE_NAMES[this.exitCode];
  }
}

/** Any error as a CliError: a library error's code says its exit code (lib/errors.ts). */
export function asCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const exit = exitCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return new CliError(exit === EXIT.UNREACHABLE ? `lost the connection to Redis: ${message}` : message, exit);
}

export const usageError = (message: string, hint?: string) => new CliError(message, EXIT.USAGE, hint);
export const notFound = (message: string) => new CliError(message, EXIT.NOT_FOUND);
export const unreachable = (message: string) => new CliError(message, EXIT.UNREACHABLE);
