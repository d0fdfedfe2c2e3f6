/**
 * Bounded work per request (issue 12): a count with text, a groups list and a bulk start each do
 * at most a set amount of Redis work, say when they stopped early (partial + cursor), and the
 * cursor goes on to the exact total. Real redis-server; 30,000 entries seeded by pipeline.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { privatePrefix } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import { ConfigError, parseConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { cancelBulk, startBulk } from "./bulk.ts";
import { countDeadLetters, countMatches } from "./count.ts";
import { isDlqError } from "./errors.ts";
import { listGroupsPage } from "./groups.ts";
import { listDeadLetters } from "./list.ts";
import type { DlqFilter } from "./schemas.ts";

privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

const BIG = 30_000;
const BOUND = 10_000;

/**
 * `n` entries of `queue`; every third one's error says "disk quota". One attempt each: the bounds
 * do not depend on it, and the seeding runs the queue's scripts once per attempt.
 */
const seedMixed = (queue: string, n: number) =>
  seedDeadLetters(
    redis,
    queue,
    Array.from({ length: n }, (_, i) => ({
      id: `j${i}`,
      attempts: 1,
      deadAt: 1_000_000 + i,
      message: i % 3 === 0 ? "disk quota exceeded" : "connection refused",
    })),
  );

/** Follows a count's cursors to the end; every call must stay within the bound. */
async function countAll(filter: DlqFilter, scanMax: number) {
  let total = 0;
  let calls = 0;
  let cursor: string | undefined;
  for (;;) {
    const r = await countMatches(redis, filter, { scanMax, cursor });
    expect(r.scanned).toBeLessThanOrEqual(scanMax);
    total += r.count;
    calls++;
    if (!r.partial) {
      expect(r.nextCursor).toBeNull();
      return { total, calls };
    }
    expect(r.nextCursor).toEqual(expect.any(String));
    cursor = r.nextCursor ?? undefined;
  }
}

describe("a count with text reads at most its bound", () => {
  const q = uniqueName("big");
  beforeAll(() => seedMixed(q, BIG), 120_000);

  it("stops at the bound, says partial, and its cursor goes on to the exact total", async () => {
    const first = await countMatches(redis, { queue: q, search: "disk quota" }, { scanMax: BOUND });
    expect(first.partial).toBe(true);
    expect(first.scanned).toBeLessThanOrEqual(BOUND);
    expect(first.scanned).toBeGreaterThan(0);
    expect(first.count).toBeLessThan(BIG / 3);
    // it says what it has to read in all, so a console can show "searched 1,000 of 3,000"
    expect(first.total).toBe(BIG);
    const all = await countAll({ queue: q, search: "disk quota" }, BOUND);
    expect(all.total).toBe(BIG / 3);
    expect(all.calls).toBeGreaterThanOrEqual(3);
    // the unbounded count (bulk operations, CLI) agrees
    expect(await countDeadLetters(redis, { queue: q, search: "disk quota" })).toBe(BIG / 3);
  });

  it("without text answers from the index sizes: complete, nothing scanned", async () => {
    expect(await countMatches(redis, { queue: q }, { scanMax: 100 })).toEqual({
      count: BIG,
      partial: false,
      scanned: 0,
      nextCursor: null,
      total: BIG,
    });
  });

  it("refuses a cursor it did not make", async () => {
    const err = await countMatches(redis, { queue: q, search: "x" }, { cursor: "bm90LWEtY3Vyc29y" }).catch(
      (e) => e,
    );
    expect(isDlqError(err, "INVALID_INPUT")).toBe(true);
  });

  it("a list page with text also stops at its budget and says partial", async () => {
    const page = await listDeadLetters(redis, { queue: q, search: "no such text" }, { limit: 50 });
    expect(page.partial).toBe(true);
    expect(page.scanned).toBeLessThanOrEqual(BOUND);
    expect(page.nextCursor).toEqual(expect.any(String));
  });
});

describe("counting across queues goes on queue by queue", () => {
  it("adds up to the full count over every queue, whatever the bound", async () => {
    const [a, b, c] = [uniqueName("m-a"), uniqueName("m-b"), uniqueName("m-c")];
    await seedMixed(a, 700);
    await seedMixed(b, 5);
    await seedMixed(c, 301);
    const filter = { search: "DISK quota" };
    const full = await countDeadLetters(redis, filter);
    for (const bound of [100, 233, 700, 5000]) {
      expect((await countAll(filter, bound)).total).toBe(full);
    }
  });
});

describe("the groups list reads at most its bound", () => {
  const q = uniqueName("groups");
  const N = 2_500;
  beforeAll(
    () =>
      seedDeadLetters(
        redis,
        q,
        Array.from({ length: N }, (_, i) => ({ fingerprint: `fp-${i}`, deadAt: 2_000_000 + i, attempts: 1 })),
      ),
    120_000,
  );

  it("answers partial with a cursor, and the pages hold every group once", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await listGroupsPage(redis, { queue: q }, { scanMax: 1000, cursor });
      expect(p.scanned).toBeLessThanOrEqual(1000);
      seen.push(...p.groups.map((g) => g.fingerprint));
      pages++;
      if (!p.partial) break;
      expect(p.nextCursor).toEqual(expect.any(String));
      cursor = p.nextCursor ?? undefined;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(N);
    expect(seen).toHaveLength(N);
  });

  it("reads one fingerprint directly", async () => {
    const p = await listGroupsPage(redis, { queue: q, fingerprint: "fp-7" }, { scanMax: 1 });
    expect(p).toMatchObject({ partial: false, groups: [{ fingerprint: "fp-7", count: 1 }] });
  });
});

describe("bulk operations running at once are capped", () => {
  it("refuses one more beyond the cap with BUSY, even when started in parallel, and frees a slot when one ends", async () => {
    const queues = Array.from({ length: 5 }, () => uniqueName("cap"));
    for (const queue of queues) await seedMixed(queue, 50);
    // 1 per second: each operation keeps running until it is cancelled
    const start = (queue: string) =>
      startBulk(redis, { action: "delete", scope: { filter: { queue } }, rate: 1 }, { maxRunning: 2 });
    const results = await Promise.allSettled(queues.map(start));
    const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(started).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const err of refused) {
      expect(isDlqError(err, "BUSY")).toBe(true);
      expect(err.message).toMatch(/already running \(at most 2, BULK_MAX_RUNNING\)/);
    }
    for (const id of started) expect(await cancelBulk(redis, id)).toBe(true);
    // a cancelled operation stops after its current chunk, then gives its slot back
    let again: string | null = null;
    for (let i = 0; i < 100 && !again; i++) {
      again = await start(queues[4]).catch(() => null);
      if (!again) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again).toEqual(expect.any(String));
    await cancelBulk(redis, again as string);
  }, 30_000);
});

describe("the settings", () => {
  it("default to 10,000 entries, 1 MiB bodies and 4 bulk operations, and refuse a body limit below a payload", () => {
    expect(parseConfig({})).toMatchObject({
      API_SCAN_LIMIT: 10_000,
      API_BODY_MAX_BYTES: 1024 * 1024,
      BULK_MAX_RUNNING: 4,
    });
    expect(() => parseConfig({ API_BODY_MAX_BYTES: "500000" })).toThrow(ConfigError);
    expect(() => parseConfig({ API_BODY_MAX_BYTES: "500000" })).toThrow(
      /API_BODY_MAX_BYTES must be at least/,
    );
    expect(
      parseConfig({ API_BODY_MAX_BYTES: "600000", JOB_MAX_PAYLOAD_BYTES: "1000" }).API_BODY_MAX_BYTES,
    ).toBe(600_000);
  });
});
