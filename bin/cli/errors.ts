/**
 * Exit codes and the one error type commands throw. Every failure leaves through `CliError`, so
 * the exit code always means the same thing (documented in docs/cli.md):
 *   0 ok · 1 failure · 2 bad arguments or configuration · 3 not found · 4 Redis unreachable
 */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, NOT_FOUND: 3, UNREACHABLE: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

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

export const usageError = (message: string, hint?: string) => new CliError(message, EXIT.USAGE, hint);
export const notFound = (message: string) => new CliError(message, EXIT.NOT_FOUND);
export const unreachable = (message: string) => new CliError(message, EXIT.UNREACHABLE);
