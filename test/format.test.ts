/** The console's time formatting (components/format.ts): past times round down, times to come round up. */
import { describe, expect, it } from "vitest";
import { formatCountOf, formatDuration, formatRelative } from "#components/format.ts";

describe("formatRelative", () => {
  const now = 1_800_000_000_000;
  const day = 86_400_000;
  it("says a time to come in whole units rounded up", () => {
    expect(formatRelative(now + 7 * day - 1_000, now)).toBe("in 7 d");
    expect(formatRelative(now + 90 * day - 5_000, now)).toBe("in 90 d");
    expect(formatRelative(now + 61_000, now)).toBe("in 2 min");
  });
  it("says a past time rounded down, and 'just now' within a second", () => {
    expect(formatRelative(now - 7 * day + 1_000, now)).toBe("6 d ago");
    expect(formatRelative(now - 500, now)).toBe("just now");
    expect(formatDuration(59_999)).toBe("59 s");
  });
});

describe("formatCountOf", () => {
  it("names one in the singular and every other count in the plural", () => {
    expect(formatCountOf(1, "worker")).toBe("1 worker");
    expect(formatCountOf(0, "worker")).toBe("0 workers");
    expect(formatCountOf(1204, "entry", "entries")).toBe("1,204 entries");
  });
});
