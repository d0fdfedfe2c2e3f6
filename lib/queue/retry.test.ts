import { describe, expect, it } from "vitest";
import { backoffFields, exponentialDelay, retryDelay } from "./retry.ts";

describe("backoff", () => {
  it("doubles from the base: base × 2^(attempt−1)", () => {
    expect([1, 2, 3, 4].map((a) => exponentialDelay(a, 60_000, 1e9))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
  });
  it("is capped", () => {
    expect(exponentialDelay(30, 1000, 3_600_000)).toBe(3_600_000);
    expect(exponentialDelay(5000, 1000, 5000)).toBe(5000);
  });
  it("jitters downwards by at most the jitter fraction", () => {
    expect(retryDelay(2, 1000, 1e9, 0.2, () => 0)).toBe(2000);
    expect(retryDelay(2, 1000, 1e9, 0.2, () => 0.999999)).toBe(1600);
    for (let i = 0; i < 100; i++) {
      const d = retryDelay(3, 1000, 1e9);
      expect(d).toBeGreaterThan(3200 - 1);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
  it("fixed backoff stores cap = base; exponential keeps cap >= base", () => {
    expect(backoffFields({ type: "fixed", baseMs: 500 }, 10_000)).toEqual({ baseMs: 500, maxMs: 500 });
    expect(backoffFields({ baseMs: 500 }, 10_000)).toEqual({ baseMs: 500, maxMs: 10_000 });
    expect(backoffFields({ baseMs: 500, maxMs: 100 }, 10_000)).toEqual({ baseMs: 500, maxMs: 500 });
    expect(exponentialDelay(4, 500, 500)).toBe(500);
  });
});
