/**
 * One error vocabulary for the libraries, the console and the CLI. Every library error has a
 * stable `code` and keeps what caused it as `cause`; one table says what each code means to an
 * HTTP client (status) and to a shell (exit code, docs/cli.md). The API frame, the server-action
 * frame and the CLI read it, so a code means the same thing everywhere. An error without a known
 * code is an internal failure: 500, exit 1.
 */

/** The CLI's exit codes: 0 ok · 1 failure · 2 bad arguments or configuration · 3 not found · 4 Redis unreachable. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, NOT_FOUND: 3, UNREACHABLE: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type HttpStatus = 400 | 404 | 409 | 429 | 500 | 503;
interface Meaning {
  status: HttpStatus;
  exit: ExitCode;
}

const invalid: Meaning = { status: 400, exit: EXIT.USAGE };
const unavailable: Meaning = { status: 503, exit: EXIT.UNREACHABLE };
const internal: Meaning = { status: 500, exit: EXIT.FAILURE };

export const ERROR_TABLE = {
  INVALID_INPUT: invalid,
  NOT_FOUND: { status: 404, exit: EXIT.NOT_FOUND },
  CONFLICT: { status: 409, exit: EXIT.FAILURE },
  /** Too many bulk operations running: try again later. */
  BUSY: { status: 429, exit: EXIT.FAILURE },
  REDIS_UNAVAILABLE: unavailable,
  /** A bad environment variable: the operator's to fix, not the API client's. */
  CONFIG_INVALID: { status: 500, exit: EXIT.USAGE },
  // lib/queue
  PAYLOAD_NOT_JSON: invalid,
  PAYLOAD_TOO_LARGE: invalid,
  INVALID_OPTION: invalid,
  LEASE_LOST: internal,
  SCRIPT_FAILED: internal,
  NOT_REPLICATED: internal,
  ADD_TIMEOUT: internal,
  // lib/cache
  CACHE_SECRET_REFUSED: invalid,
  CACHE_INVALID_NAMESPACE: invalid,
  CACHE_INVALID_ARGUMENT: invalid,
  CACHE_TIMEOUT: unavailable,
  CACHE_UNAVAILABLE: unavailable,
  CACHE_CIRCUIT_OPEN: unavailable,
  CACHE_CORRUPT_VALUE: internal,
  CACHE_WRITE_BEHIND_FAILED: unavailable,
} as const satisfies Record<string, Meaning>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** The base of every library error: a stable code a caller branches on, the cause kept. */
export class RequeueError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RequeueError";
  }
}

/**
 * Redis cannot be reached: connection refused, closed or reset, a command timed out, the cluster
 * is down. Raised by every client lib/redis/connection.ts makes; the message is ioredis's own.
 */
export class RedisUnavailableError extends RequeueError<"REDIS_UNAVAILABLE"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("REDIS_UNAVAILABLE", message, options);
    this.name = "RedisUnavailableError";
  }
}

/**
 * What an error means to an HTTP client and to a shell; unknown errors are internal (500, exit 1).
 * An internal error caused by an unreachable Redis (a script call that never reached it) means
 * Redis is unreachable: the `cause` chain is followed a few links for that.
 */
export function meaningOf(err: unknown, depth = 0): Meaning & { code?: ErrorCode } {
  const { code, cause } = (err ?? {}) as { code?: unknown; cause?: unknown };
  const known =
    typeof code === "string" && Object.hasOwn(ERROR_TABLE, code)
      ? { code: code as ErrorCode, ...ERROR_TABLE[code as ErrorCode] }
      : undefined;
  if (known && known.status !== 500) return known;
  if (cause !== undefined && depth < 4) {
    const inner = meaningOf(cause, depth + 1);
    if (inner.code === "REDIS_UNAVAILABLE") return inner;
  }
  return known ?? internal;
}

export const httpStatusOf = (err: unknown): HttpStatus => meaningOf(err).status;
export const exitCodeOf = (err: unknown): ExitCode => meaningOf(err).exit;
