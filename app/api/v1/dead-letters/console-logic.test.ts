/**
 * The console's pure logic around dead letters: the URL state (parse ↔ serialise), the mapping
 * of console filters to lib/dlq filters, the sentences that say what an action did, and the
 * top bar's heartbeat and alerts readings. Browser and Redis free.
 */
import { describe, expect, it } from "vitest";
import { toDlqFilter } from "#app/_lib/ops/dead-letters.ts";
import { canaryOption, describeCanaryPlan } from "#components/dead-letters/canary-fields.tsx";
import {
  describeFilters,
  parseView,
  RANGES,
  rangeWindow,
  viewSearch,
} from "#components/dead-letters/filters.ts";
import { describeBulk, describeCanary, describeOutcome } from "#components/dead-letters/outcome.ts";
import { formatCount, formatRelative } from "#components/format.ts";
import { toFiringAlerts } from "#components/shell/alerts-badge.tsx";
import { heartbeatTone } from "#components/shell/worker-heartbeat.tsx";

describe("dead letters view in the URL", () => {
  it("round-trips every filter, the tab, the cursor and the page size", () => {
    const view = parseView(
      new URLSearchParams("tab=groups&queue=documents&group=ab12&range=1h&q=time out&cursor=xyz&limit=100"),
    );
    expect(view).toEqual({
      tab: "groups",
      queue: "documents",
      group: "ab12",
      range: "1h",
      q: "time out",
      cursor: "xyz",
      limit: 100,
    });
    expect(parseView(new URLSearchParams(viewSearch(view).slice(1)))).toEqual(view);
  });

  it("leaves defaults out of links and ignores values it does not know", () => {
    const view = parseView({ range: "2y", limit: "7", tab: "weird", q: "  " });
    expect(view).toEqual({
      tab: "list",
      limit: 50,
      queue: undefined,
      group: undefined,
      range: undefined,
      q: undefined,
      cursor: undefined,
    });
    expect(viewSearch(view)).toBe("");
  });

  it("says what a bulk action will touch", () => {
    expect(describeFilters({ queue: "documents", q: "timeout", range: "24h" })).toBe(
      'of `documents` whose error contains "timeout" dead in the last 24h',
    );
    expect(describeFilters({})).toBe("of all queues");
  });
});

describe("console filters → lib/dlq filters", () => {
  it("maps q to search and a range to a from time", () => {
    const before = Date.now();
    const f = toDlqFilter({ queue: "documents", group: "fp", q: "boom", range: "1h" });
    expect(f).toMatchObject({ queue: "documents", group: "fp", search: "boom" });
    expect(f.from).toBeGreaterThanOrEqual(before - RANGES["1h"]);
    expect(f.to).toBeUndefined();
  });

  it("prefers an explicit from/to window and omits what is not set", () => {
    expect(toDlqFilter({ range: "7d", from: 10, to: 20 })).toEqual({ from: 10, to: 20 });
    expect(toDlqFilter({})).toEqual({});
    expect(rangeWindow(undefined)).toEqual({});
  });
});

describe("what happened", () => {
  it("counts with separators and names the already gone", () => {
    expect(describeOutcome("requeue", 1280, 4)).toBe("1,280 requeued, 4 already gone");
    expect(describeOutcome("delete", 2, 0)).toBe("2 deleted");
  });

  it("describes a cancelled bulk operation", () => {
    const p = {
      opId: "x",
      action: "delete" as const,
      state: "cancelled" as const,
      total: 800,
      processed: 300,
      done: 299,
      gone: 1,
      startedAt: 0,
      updatedAt: 0,
    };
    expect(describeBulk(p)).toBe("Cancelled after 300 of 800: 299 deleted, 1 already gone");
  });

  it("names a canary's plan in full, refuses bad fields, and tells its verdict", () => {
    const choice = { on: true, count: "10", minSuccess: "90" };
    expect(canaryOption(choice)).toEqual({ count: 10, minSuccess: 0.9 });
    expect(canaryOption({ ...choice, on: false })).toBeUndefined();
    expect(canaryOption({ ...choice, count: "0" })).toMatch(/Canary size/);
    expect(canaryOption({ ...choice, minSuccess: "120" })).toMatch(/percentage/);
    expect(describeCanaryPlan(choice, 4)).toMatch(
      /^First 4 as a canary; the rest only if at least 4 of them/,
    );
    expect(describeCanaryPlan(choice)).toMatch(
      /^First 10 as a canary; the rest only if at least 9 of them \(90 %\) complete\./,
    );
    const canary = {
      count: 10,
      minSuccess: 0.9,
      watched: 10,
      succeeded: 6,
      failed: [
        { queue: "documents", id: "d1", state: "dead" as const, error: { name: "TypeError", message: "x" } },
      ],
      pending: [],
      verdict: "fail" as const,
      timeoutMs: 300_000,
    };
    expect(describeCanary(canary)).toBe(
      "Canary failed (6 of 10 succeeded, 90 % needed, 1 failed again): the rest was left in the DLQ",
    );
    expect(describeCanary({ ...canary, verdict: null, failed: [] })).toMatch(
      /^Canary: 10 requeued first, waiting/,
    );
    const p = {
      opId: "x",
      action: "requeue" as const,
      state: "stopped" as const,
      total: 1284,
      processed: 10,
      done: 10,
      gone: 0,
      startedAt: 0,
      updatedAt: 0,
      canary,
    };
    expect(describeBulk(p)).toBe("Stopped by the canary after 10 of 1,284: 10 requeued");
  });

  it("formats counts and relative times", () => {
    expect(formatCount(1284)).toBe("1,284");
    expect(formatCount(undefined)).toBe("—");
    expect(formatRelative(1_000_000 - 180_000, 1_000_000)).toBe("3 min ago");
  });
});

describe("top bar readings", () => {
  const beat = (lastBeatAt: number, alive: boolean) => ({
    id: "w",
    host: "h",
    pid: 1,
    lastBeatAt,
    intervalMs: 1000,
    alive,
  });

  it("reads the worker heartbeat in the state colours", () => {
    expect(heartbeatTone(undefined, 0).tone).toBe("neutral");
    expect(heartbeatTone([], 0)).toEqual({ tone: "dead", text: "no worker" });
    expect(heartbeatTone([beat(9_500, true)], 10_000)).toEqual({ tone: "ok", text: "worker beat just now" });
    expect(heartbeatTone([beat(0, false)], 20_000).tone).toBe("retry");
    expect(heartbeatTone([beat(0, false)], 120_000)).toEqual({ tone: "dead", text: "worker beat 2 min ago" });
  });

  it("reads firing alerts from the alerts API's answer", () => {
    expect(toFiringAlerts({ alerts: [{ id: "dlq_size", label: "DLQ size", since: 5 }] })).toEqual([
      { name: "DLQ size", since: 5 },
    ]);
    expect(toFiringAlerts([])).toEqual([]);
    expect(toFiringAlerts(null)).toEqual([]);
  });
});
