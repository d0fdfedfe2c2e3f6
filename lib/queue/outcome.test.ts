import { describe, expect, it } from "vitest";
import { failureOf } from "./outcome.ts";

const job = { id: "j1", attempt: 2, backoffBaseMs: 10, backoffMaxMs: 10 };

describe("failureOf's record", () => {
  it("is the JSON of {attempt, name, message, stack, at, consumer}, key for key, with and without a stack", () => {
    const withStack = new TypeError('bad "quote" \\ é \u2028 line\nnext');
    const noStack = new Error("no frames");
    noStack.stack = undefined;
    for (const err of [withStack, noStack, "a thrown string"]) {
      const f = failureOf(job, err, 'consumer "1"', 2000);
      const r = JSON.parse(f.record) as Record<string, unknown>;
      expect(Object.keys(r)).toEqual(
        r.stack === undefined
          ? ["attempt", "name", "message", "at", "consumer"]
          : ["attempt", "name", "message", "stack", "at", "consumer"],
      );
      expect(f.record).toBe(
        JSON.stringify({
          attempt: 2,
          name: r.name,
          message: r.message,
          stack: r.stack,
          at: r.at,
          consumer: 'consumer "1"',
        }),
      );
      expect(f.record.startsWith('{"attempt":2,')).toBe(true);
    }
    expect(JSON.parse(failureOf(job, withStack, "c", 2000).record).message).toBe(withStack.message);
  });
});
