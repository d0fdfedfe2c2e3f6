import { describe, expect, it } from "vitest";
import { memo } from "./memo.ts";

describe("memo", () => {
  it("derives a key once, and forgets everything once it holds `max` results", () => {
    const seen: string[] = [];
    const upper = memo(2, (k) => {
      seen.push(k);
      return k.toUpperCase();
    });
    expect([upper("a"), upper("b"), upper("a")]).toEqual(["A", "B", "A"]);
    expect(seen).toEqual(["a", "b"]);
    expect(upper("c")).toBe("C"); // full: forgotten, then c kept
    expect(upper("a")).toBe("A");
    expect(seen).toEqual(["a", "b", "c", "a"]);
  });
});
