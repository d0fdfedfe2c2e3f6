/**
 * A client from createRedis that cannot reach Redis rejects with RedisUnavailableError (so the
 * console answers 503 and the CLI exits 4 by class, not by matching error text); a Redis that
 * answers with an error of its own (a reply error) is not "unavailable".
 */
import { describe, expect, it } from "vitest";
import { freePort, testRedis } from "../../test/harness/index.ts";
import { EXIT, exitCodeOf, httpStatusOf, RedisUnavailableError } from "../errors.ts";
import { createRedisFromUrl } from "./connection.ts";
import { classifyRedisError } from "./unavailable.ts";

describe("RedisUnavailableError from the Redis layer", () => {
  it("is what a command gets when nothing listens on the port, and maps to 503 / exit 4", async () => {
    const client = createRedisFromUrl(`redis://127.0.0.1:${await freePort()}`, { failFast: true });
    client.on("error", () => {});
    try {
      const err = await client.get("k").catch((e) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect(err.code).toBe("REDIS_UNAVAILABLE");
      expect(err.cause).toBeInstanceOf(Error);
      expect(httpStatusOf(err)).toBe(503);
      expect(exitCodeOf(err)).toBe(EXIT.UNREACHABLE);
    } finally {
      client.disconnect();
    }
  });

  it("is what a command gets on a client whose connection was closed", async () => {
    const client = testRedis();
    await client.ping();
    client.disconnect();
    const err = await client.get("k").catch((e) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    // ioredis's own words ("Connection is closed.", or a cluster's "None of startup nodes…")
    expect(err.message).toBe(err.cause.message);
  });

  it("leaves Redis's own answers alone: a reply error is not unavailability", async () => {
    const client = testRedis();
    try {
      const err = await client.call("NO-SUCH-COMMAND").catch((e) => e);
      expect(err).not.toBeInstanceOf(RedisUnavailableError);
      expect(httpStatusOf(err)).toBe(500);
    } finally {
      await client.quit();
    }
  });

  it("classifies socket codes and ioredis's words, and passes anything else through", () => {
    const refused = Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" });
    expect(classifyRedisError(refused)).toBeInstanceOf(RedisUnavailableError);
    expect(classifyRedisError(new Error("Command timed out"))).toBeInstanceOf(RedisUnavailableError);
    const other = new Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    expect(classifyRedisError(other)).toBe(other);
    expect(classifyRedisError("text")).toBe("text");
  });
});
