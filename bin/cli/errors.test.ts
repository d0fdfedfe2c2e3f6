/**
 * The CLI's exit code for any error comes from the one table (lib/errors.ts): a library error's
 * code, an unreachable Redis (raised by the Redis layer) as exit 4, anything unknown as exit 1.
 */
import { describe, expect, it } from "vitest";
import { AuthError } from "../../lib/auth/types.ts";
import { DlqError } from "../../lib/dlq/errors.ts";
import { RedisUnavailableError } from "../../lib/errors.ts";
import { AddTimeoutError, QueueError } from "../../lib/queue/errors.ts";
import { asCliError, CliError, EXIT, notFound } from "./errors.ts";

describe("asCliError", () => {
  it("gives a library error the exit code of its code, with its message", () => {
    const cases: [Error, number][] = [
      [new AuthError("NOT_FOUND", "no user a@b.c"), EXIT.NOT_FOUND],
      [new DlqError("INVALID_INPUT", "invalid cursor"), EXIT.USAGE],
      [new QueueError("PAYLOAD_NOT_JSON", "not JSON"), EXIT.USAGE],
      [new AuthError("CONFLICT", "a user a@b.c already exists"), EXIT.FAILURE],
      [new DlqError("BUSY", "4 bulk operations run"), EXIT.FAILURE],
      [new AddTimeoutError("q", 100, 1), EXIT.FAILURE],
      [new Error("something else"), EXIT.FAILURE],
    ];
    for (const [err, exit] of cases) {
      const cli = asCliError(err);
      expect(cli.exitCode, err.message).toBe(exit);
      expect(cli.message).toBe(err.message);
    }
  });

  it("says Redis went away (exit 4), also through a failed script's cause", () => {
    const down = new RedisUnavailableError("Connection is closed.");
    expect(asCliError(down)).toMatchObject({
      exitCode: EXIT.UNREACHABLE,
      message: "lost the connection to Redis: Connection is closed.",
      code: "redis_unreachable",
    });
    const script = new DlqError("SCRIPT_FAILED", "dlq_delete failed: Connection is closed.", { cause: down });
    expect(asCliError(script).exitCode).toBe(EXIT.UNREACHABLE);
  });

  it("keeps a CliError as thrown", () => {
    const err = notFound("no dead letter");
    expect(asCliError(err)).toBe(err);
    expect(asCliError(err)).toBeInstanceOf(CliError);
  });
});
