/** Page cursors: what they carry between pages and what they refuse. */
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.ts";

const at = { score: 1000, queue: "b", id: "j5" };

describe("page cursors", () => {
  it("carry the position and the queues ahead of it", () => {
    const ahead = [
      { score: 990, queue: "a", id: "x" },
      { score: 1000, queue: "a", id: "z" }, // same time, queue "a" sorts after "b"
    ];
    expect(decodeCursor(encodeCursor(at))).toEqual({ at, ahead: [] });
    expect(decodeCursor(encodeCursor(at, ahead.slice(0, 1)))).toEqual({ at, ahead: ahead.slice(0, 1) });
  });

  it("keep within the page schema's 2,000 characters, leaving out the queues that do not fit", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      score: 900,
      queue: `queue-${i}`,
      id: "x".repeat(40),
    }));
    const cursor = encodeCursor(at, many);
    expect(cursor.length).toBeLessThanOrEqual(2000);
    const { ahead } = decodeCursor(cursor);
    expect(ahead.length).toBeGreaterThan(0);
    expect(ahead).toEqual(many.slice(0, ahead.length));
  });

  it("drop a position ahead that is not after the cursor's, and refuse a queue twice", () => {
    const raw = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    expect(decodeCursor(raw([1000, "b", "j5", [[2000, "a", "x"]]])).ahead).toEqual([]);
    const twice = raw([
      1000,
      "b",
      "j5",
      [
        [900, "a", "x"],
        [800, "a", "y"],
      ],
    ]);
    expect(() => decodeCursor(twice)).toThrow(/not a cursor/);
    expect(() => decodeCursor(raw([1000, "b", "j5", [[900, "a"]]]))).toThrow(/not a cursor/);
  });
});
