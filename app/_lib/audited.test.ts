/**
 * The `audit` option of route() and action(): one entry when the mutation returns (with what the
 * handler noted), one with outcome "error" when it throws — and the error still reaches the frame.
 * The audit writer is replaced by a recorder: what is checked here is which entry is written.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "./roles.ts";

const written: unknown[][] = [];
vi.mock("#lib/auth/audit.ts", () => ({
  audit: async (...args: unknown[]) => {
    written.push(args);
    return true;
  },
}));
const { audited } = await import("./audited.ts");

const admin: Principal = { id: "a@x", email: "a@x", name: "A", role: "admin", via: "session" };
const spec = { action: "cache.flush", target: (i: { ns: string }) => i.ns };

describe("audited", () => {
  beforeEach(() => {
    written.length = 0;
  });

  it("records the success with the input's target and what the handler noted", async () => {
    const out = await audited(admin, spec, { ns: "docs" }, async (note) => {
      note({ count: 3, detail: "three" });
      return "done";
    });
    expect(out).toBe("done");
    expect(written).toEqual([[admin, "cache.flush", { target: "docs", count: 3, detail: "three" }]]);
  });

  it("records a failure with its message and rethrows it", async () => {
    const boom = new Error("Redis is unreachable");
    await expect(audited(admin, spec, { ns: "docs" }, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(written).toEqual([
      [admin, "cache.flush", { target: "docs", outcome: "error", detail: "Redis is unreachable" }],
    ]);
  });

  it("records nothing without the option", async () => {
    expect(await audited(admin, undefined, {}, async () => 1)).toBe(1);
    expect(written).toEqual([]);
  });
});
