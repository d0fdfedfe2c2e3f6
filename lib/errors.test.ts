/**
 * The one table from error code to HTTP status and CLI exit code (lib/errors.ts): every code has
 * both, each library error class carries its code through the table, and what the table does not
 * know is an internal failure (500, exit 1).
 */
import { describe, expect, it } from "vitest";
import { AlertError } from "./alerts/settings.ts";
import { AuthError } from "./auth/types.ts";
import { CacheError } from "./cache/errors.ts";
import { ConfigError } from "./config.ts";
import { DlqError } from "./dlq/errors.ts";
import {
  ERROR_TABLE,
  EXIT,
  exitCodeOf,
  httpStatusOf,
  meaningOf,
  RedisUnavailableError,
  RequeueError,
} from "./errors.ts";
import { UnknownNamespaceError } from "./metrics/cache-dashboard.ts";
import { AddTimeoutError, QueueError } from "./queue/errors.ts";

const STATUSES = [400, 404, 409, 429, 500, 503];
const EXITS = Object.values(EXIT).filter((c) => c !== EXIT.OK);

describe("the error table", () => {
  it("gives every code an HTTP status and a non-zero exit code", () => {
    expect(Object.keys(ERROR_TABLE).length).toBeGreaterThan(0);
    for (const [code, meaning] of Object.entries(ERROR_TABLE)) {
      expect(STATUSES, code).toContain(meaning.status);
      expect(EXITS, code).toContain(meaning.exit);
      const err = new RequeueError(code as keyof typeof ERROR_TABLE, "x");
      expect(httpStatusOf(err), code).toBe(meaning.status);
      expect(exitCodeOf(err), code).toBe(meaning.exit);
    }
  });

  it("maps the shared codes as the API and the CLI document them", () => {
    const pairs = (code: string) => [httpStatusOf({ code }), exitCodeOf({ code })];
    expect(pairs("INVALID_INPUT")).toEqual([400, EXIT.USAGE]);
    expect(pairs("NOT_FOUND")).toEqual([404, EXIT.NOT_FOUND]);
    expect(pairs("CONFLICT")).toEqual([409, EXIT.FAILURE]);
    expect(pairs("BUSY")).toEqual([429, EXIT.FAILURE]);
    expect(pairs("REDIS_UNAVAILABLE")).toEqual([503, EXIT.UNREACHABLE]);
  });

  it("answers 500 and exit 1 for anything it does not know", () => {
    for (const err of [
      new Error("boom"),
      Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
      { code: "toString" },
      "text",
      null,
      undefined,
    ]) {
      expect(meaningOf(err)).toEqual({ status: 500, exit: EXIT.FAILURE });
    }
  });

  it("reads an unreachable Redis through an internal error's cause", () => {
    const down = new RedisUnavailableError("Connection is closed.");
    const wrapped = new DlqError("SCRIPT_FAILED", "dlq_requeue failed", { cause: down });
    expect(httpStatusOf(wrapped)).toBe(503);
    expect(exitCodeOf(new Error("outer", { cause: wrapped }))).toBe(EXIT.UNREACHABLE);
    // a code of its own wins over its cause
    expect(httpStatusOf(new AuthError("NOT_FOUND", "no user"))).toBe(404);
    expect(httpStatusOf(new DlqError("SCRIPT_FAILED", "x", { cause: new Error("y") }))).toBe(500);
  });

  it("is what every library error class extends, keeping its name, code and cause", () => {
    const cause = new Error("underneath");
    const errors = [
      new QueueError("PAYLOAD_NOT_JSON", "x", { cause }),
      new AddTimeoutError("q", 10, 1),
      new DlqError("BUSY", "x"),
      new CacheError("CACHE_TIMEOUT", "x"),
      new AuthError("CONFLICT", "x"),
      new AlertError("NOT_FOUND", "x"),
      new ConfigError(["REDIS_URL: bad"]),
      new UnknownNamespaceError("x"),
      new RedisUnavailableError("x"),
    ];
    for (const err of errors) {
      expect(err).toBeInstanceOf(RequeueError);
      expect(Object.hasOwn(ERROR_TABLE, err.code), err.name).toBe(true);
    }
    expect(errors.map((e) => e.name)).toEqual([
      "QueueError",
      "AddTimeoutError",
      "DlqError",
      "CacheError",
      "AuthError",
      "AlertError",
      "ConfigError",
      "UnknownNamespaceError",
      "RedisUnavailableError",
    ]);
    expect(errors[0].cause).toBe(cause);
    expect(exitCodeOf(errors[0])).toBe(EXIT.USAGE);
    expect(exitCodeOf(errors[6])).toBe(EXIT.USAGE);
  });
});
