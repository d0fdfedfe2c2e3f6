/** describeConnectError: the password of a redis:// or rediss:// URL never reaches the operator. */
import { describe, expect, it } from "vitest";
import { describeConnectError } from "./redis.ts";

describe("describeConnectError", () => {
  it("hides the user and password of redis:// and rediss:// URLs", () => {
    const text = describeConnectError(new Error("bad rediss://app:s3cret@cache:6380 and redis://:pw2@h:1"));
    expect(text).toBe("bad rediss://***@cache:6380 and redis://***@h:1");
  });

  it("a hostile message is read only so far, in one pass", () => {
    // 80 KB with no "@": the unbounded pattern rescanned it from every "redis://" (seconds)
    const text = describeConnectError(new Error("redis://".repeat(10_000)));
    expect(text.length).toBeLessThanOrEqual(2000);
  });
});
