/** Listing, filters, cursors, get and groups, against a real redis-server. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { privatePrefix } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { countDeadLetters } from "./count.ts";
import { listDeadLetters } from "./list.ts";
import { getDeadLetter, listGroups } from "./read.ts";
import type { DlqFilter } from "./schemas.ts";

privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

/** Every page of a filter, following cursors; returns "queue/id" in order. */
async function allPages(filter: DlqFilter, limit: number, limits = {}): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await listDeadLetters(redis, filter, { limit, cursor }, limits);
    out.push(...page.items.map((d) => `${d.queue}/${d.id}`));
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

describe("listDeadLetters", () => {
  it("pages one queue newest first, each entry once", async () => {
    const q = uniqueName("q");
    const ids = await seedDeadLetters(
      redis,
      q,
      Array.from({ length: 23 }, (_, i) => ({ id: `j${i}`, deadAt: 1_000_000 + i })),
    );
    const listed = await allPages({ queue: q }, 5);
    expect(listed).toEqual(ids.map((id) => `${q}/${id}`).reverse());
  });

  it("merges queues with equal times in a stable order, across every page size", async () => {
    const [a, b] = [uniqueName("m"), uniqueName("m")];
    // ties: several entries of both queues share a time
    await seedDeadLetters(
      redis,
      a,
      Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, deadAt: 5000 + (i % 4) })),
    );
    await seedDeadLetters(
      redis,
      b,
      Array.from({ length: 9 }, (_, i) => ({ id: `b${i}`, deadAt: 5000 + (i % 3) })),
    );
    const one = await allPages({}, 200);
    const mine = one.filter((x) => x.startsWith(`${a}/`) || x.startsWith(`${b}/`));
    expect(mine).toHaveLength(21);
    for (const limit of [1, 2, 5, 7]) {
      const paged = (await allPages({}, limit)).filter((x) => x.startsWith(`${a}/`) || x.startsWith(`${b}/`));
      expect(paged).toEqual(mine);
    }
  });

  it("keeps its place while entries are added and the cursor's entry is removed", async () => {
    const q = uniqueName("c");
    const k = queueKeys(q);
    await seedDeadLetters(
      redis,
      q,
      Array.from({ length: 10 }, (_, i) => ({ id: `j${i}`, deadAt: 100 + i })),
    );
    const first = await listDeadLetters(redis, { queue: q }, { limit: 4 });
    expect(first.items.map((d) => d.id)).toEqual(["j9", "j8", "j7", "j6"]);
    await seedDeadLetters(redis, q, [{ id: "newer", deadAt: 500 }]);
    await redis.zrem(k.dead, "j6"); // the cursor's own entry goes away
    await redis.zrem(k.dead, "j4");
    const second = await listDeadLetters(redis, { queue: q }, { limit: 4, cursor: first.nextCursor! });
    expect(second.items.map((d) => d.id)).toEqual(["j5", "j3", "j2", "j1"]);
  });

  it("filters by group, time range and text, combined", async () => {
    const q = uniqueName("f");
    await seedDeadLetters(redis, q, [
      { id: "t1", deadAt: 1000, fingerprint: "timeout", message: "Request TIMED OUT after 30s" },
      { id: "t2", deadAt: 2000, fingerprint: "timeout", message: "request timed out after 10s" },
      { id: "t3", deadAt: 3000, fingerprint: "timeout", message: "request timed out after 5s" },
      { id: "d1", deadAt: 2500, fingerprint: "disk", message: "disk full: timed out writing" },
    ]);
    const ids = async (f: DlqFilter) =>
      (await listDeadLetters(redis, { queue: q, ...f })).items.map((d) => d.id);
    expect(await ids({ group: "timeout" })).toEqual(["t3", "t2", "t1"]);
    expect(await ids({ from: 1500, to: 2500 })).toEqual(["d1", "t2"]);
    expect(await ids({ search: "timed out" })).toEqual(["t3", "d1", "t2", "t1"]);
    expect(await ids({ search: "TIMED OUT AFTER" })).toEqual(["t3", "t2", "t1"]);
    expect(await ids({ group: "timeout", search: "after 10", from: 1000, to: 3000 })).toEqual(["t2"]);
    expect(await ids({ group: "disk", search: "after" })).toEqual([]);
    expect(await countDeadLetters(redis, { queue: q, search: "timed out", to: 2500 })).toBe(3);
    expect(await countDeadLetters(redis, { queue: q, group: "timeout", from: 2000 })).toBe(2);
  });

  it("treats glob and pattern characters in the text literally", async () => {
    const q = uniqueName("g");
    await seedDeadLetters(redis, q, [
      { id: "star", message: "bad key user:*[1]? at 100%" },
      { id: "plain", message: "bad key user:1 at 100 percent" },
      { id: "quote", message: 'bad "quoted" path a/b\\c' },
    ]);
    const ids = async (search: string) =>
      (await listDeadLetters(redis, { queue: q, search })).items.map((d) => d.id);
    expect(await ids("user:*[1]?")).toEqual(["star"]);
    expect(await ids("*")).toEqual(["star"]);
    expect(await ids("100%")).toEqual(["star"]);
    expect(await ids(".")).toEqual([]);
    expect(await ids('"QUOTED" path a/b\\c')).toEqual(["quote"]);
  });

  it("merges a text search across uneven queues exactly, whatever the read budgets", async () => {
    const qs = [uniqueName("u"), uniqueName("u"), uniqueName("u")];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const expected: { key: string; at: number }[] = [];
    for (const [n, q] of qs.entries()) {
      // queue 0 has no match in its newest half; queue 2 matches often
      const entries = Array.from({ length: 80 }, (_, i) => {
        const at = 50_000 - Math.floor(rand() * 400);
        const hit = n === 0 ? i >= 40 && rand() < 0.3 : rand() < (n === 2 ? 0.6 : 0.15);
        return { id: `e${String(i).padStart(2, "0")}`, deadAt: at, message: hit ? "Needle found" : "hay" };
      });
      await seedDeadLetters(redis, q, entries);
      for (const e of entries) if (e.message !== "hay") expected.push({ key: `${q}/${e.id}`, at: e.deadAt });
    }
    const mine = (xs: string[]) => xs.filter((x) => qs.some((q) => x.startsWith(`${q}/`)));
    const all = mine(await allPages({}, 200)); // the list order, without text
    const want = all.filter((x) => expected.some((e) => e.key === x));
    expect(want).toHaveLength(expected.length);
    // pageTimeMs 0: one round per page, queues that read past the frontier resume where they are
    for (const [limit, chunk, pageScanMax, pageTimeMs] of [
      [7, 10, 40, Number.POSITIVE_INFINITY],
      [3, 25, 30, Number.POSITIVE_INFINITY],
      [50, 6, 1000, Number.POSITIVE_INFINITY],
      [200, 500, 2000, Number.POSITIVE_INFINITY],
      [7, 10, 40, 0],
      [3, 25, 30, 0],
      [50, 6, 1000, 0],
    ]) {
      expect(mine(await allPages({ search: "needle" }, limit, { chunk, pageScanMax, pageTimeMs }))).toEqual(
        want,
      );
    }
  });

  it("searches the messages only, not names, stacks or JSON keys", async () => {
    const q = uniqueName("m");
    await seedDeadLetters(redis, q, [
      { id: "msg", errorName: "Error", message: 'upstream said "quota" is gone', topFrame: "at x (a.ts:1)" },
      { id: "name", errorName: "QuotaError", message: "nothing here", topFrame: "at quotaCheck (q.ts:9)" },
    ]);
    const ids = async (search: string) =>
      (await listDeadLetters(redis, { queue: q, search })).items.map((d) => d.id);
    expect(await ids("quota")).toEqual(["msg"]);
    expect(await ids('"quota" is')).toEqual(["msg"]); // escaped in the JSON: decoded path
    expect(await ids("quotacheck")).toEqual([]);
    expect(await ids("consumer")).toEqual([]);
    expect(await ids("message")).toEqual([]);
  });

  it("matches the message's text, not the escapes JSON writes it with", async () => {
    const q = uniqueName("e");
    await seedDeadLetters(redis, q, [
      { id: "tab", message: "tab\there" },
      { id: "line", message: "line one\nBody two" },
      { id: "ctl", message: "bell \u0007 rang" },
      { id: "slash", message: "path C:\\new\\", stack: "Error: path\n    at after (quote.ts:1)" },
      { id: "quote", message: 'say "hi" now' },
      { id: "uni", message: "Échec: café fermé" },
      { id: "stack", message: "plain", stack: "Error: plain\n    at stackOnlyText (s.ts:1)" },
    ]);
    const ids = async (search: string) =>
      (await listDeadLetters(redis, { queue: q, search })).items.map((d) => d.id).sort();
    expect(await ids("there")).toEqual([]); // "tab\there" in the JSON, a tab then "here" in the message
    expect(await ids("here")).toEqual(["tab"]);
    expect(await ids("nbody")).toEqual([]);
    expect(await ids("body TWO")).toEqual(["line"]);
    expect(await ids("u0007")).toEqual([]);
    expect(await ids("007")).toEqual([]);
    expect(await ids("rang")).toEqual(["ctl"]);
    expect(await ids("new")).toEqual(["slash"]); // after an escaped backslash: text again
    expect(await ids("after")).toEqual([]); // the message ends at the quote after its last backslash
    expect(await ids("C:\\new\\")).toEqual(["slash"]); // decoded path
    expect(await ids("hi")).toEqual(["quote"]);
    expect(await ids('"hi" NOW')).toEqual(["quote"]);
    expect(await ids('now"')).toEqual([]);
    expect(await ids("CAFé")).toEqual(["uni"]); // ASCII letters fold, others match as written
    expect(await ids("ÉCHEC")).toEqual(["uni"]);
    expect(await ids("stackonlytext")).toEqual([]);
  });

  it("bounds a text search: a partial page with a cursor that finds the rest", async () => {
    const q = uniqueName("s");
    const entries = Array.from({ length: 60 }, (_, i) => ({
      id: `j${String(i).padStart(2, "0")}`,
      deadAt: 10_000 + i,
      message: i % 20 === 0 ? "rare needle" : "common",
    }));
    await seedDeadLetters(redis, q, entries);
    const first = await listDeadLetters(
      redis,
      { queue: q, search: "needle" },
      { limit: 10 },
      { chunk: 10, pageScanMax: 25, pageTimeMs: Number.POSITIVE_INFINITY },
    );
    expect(first.complete).toBe(false);
    expect(first.scanned).toBeLessThanOrEqual(30);
    expect(first.items.map((d) => d.id)).toEqual(["j40"]);
    const rest = await allPages({ queue: q, search: "needle" }, 10, {
      chunk: 10,
      pageScanMax: 25,
      pageTimeMs: Number.POSITIVE_INFINITY,
    });
    expect(rest).toEqual(["j40", "j20", "j00"].map((id) => `${q}/${id}`));
  });

  it("reads its first round whatever its time, no round past it, and its cursor goes on", async () => {
    const q = uniqueName("s");
    const entries = Array.from({ length: 30 }, (_, i) => ({
      id: `j${String(i).padStart(2, "0")}`,
      deadAt: 20_000 + i,
      message: i === 0 ? "rare needle" : "common",
    }));
    await seedDeadLetters(redis, q, entries);
    const limits = { chunk: 7, pageTimeMs: 0 };
    const first = await listDeadLetters(redis, { queue: q, search: "needle" }, { limit: 5 }, limits);
    expect(first).toMatchObject({ complete: false, scanned: 7, items: [] });
    expect(await allPages({ queue: q, search: "needle" }, 5, limits)).toEqual([`${q}/j00`]);
  });

  it("a search stopped by its time reads every id once over its pages, whatever the queues", async () => {
    for (const n of [0, 1, 2]) {
      const entries = Array.from({ length: 30 }, (_, i) => ({ deadAt: 40_000 + i * 3 + n, message: "hay" }));
      await seedDeadLetters(redis, uniqueName("once"), entries);
    }
    const limits = { chunk: 9, pageTimeMs: 0 };
    let cursor: string | undefined;
    let scanned = 0;
    let total = -1;
    for (let i = 0; i < 10_000; i++) {
      const page = await listDeadLetters(redis, { search: "no such text" }, { limit: 5, cursor }, limits);
      if (total < 0) total = page.total;
      scanned += page.scanned;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(total).toBeGreaterThanOrEqual(90);
    expect(scanned).toBe(total);
  });

  it("says how far a stopped search got: searched of total, growing with each continue, never an empty 'done'", async () => {
    const q = uniqueName("s");
    // 100 entries, one distinct time each; the only match is the oldest
    await seedDeadLetters(
      redis,
      q,
      Array.from({ length: 100 }, (_, i) => ({
        id: `k${String(i).padStart(3, "0")}`,
        deadAt: 50_000 + i,
        message: i === 0 ? "rare needle" : "common",
      })),
    );
    const limits = { chunk: 10, pageScanMax: 30, pageTimeMs: Number.POSITIVE_INFINITY };
    const filter = { queue: q, search: "needle" };
    const first = await listDeadLetters(redis, filter, { limit: 10 }, limits);
    expect(first).toMatchObject({ items: [], complete: false, total: 100 });
    expect(first.nextCursor).not.toBeNull();
    expect(first.searched).toBe(first.scanned);
    let page = first;
    const searched = [first.searched];
    while (page.nextCursor && page.items.length === 0) {
      page = await listDeadLetters(redis, filter, { limit: 10, cursor: page.nextCursor }, limits);
      searched.push(page.searched);
    }
    // every continue read further; the last page found the match and the end of the list
    expect(searched).toEqual([...searched].sort((a, b) => a - b));
    expect(new Set(searched).size).toBe(searched.length);
    expect(page).toMatchObject({ complete: true, nextCursor: null, searched: 100, total: 100 });
    expect(page.items.map((d) => d.id)).toEqual(["k000"]);
    // without text the same numbers hold: total entries, searched up to the cursor
    const plain = await listDeadLetters(redis, { queue: q }, { limit: 10 });
    expect(plain).toMatchObject({ total: 100, searched: 10, complete: true });
  });

  it("refuses bad input with INVALID_INPUT", async () => {
    for (const [filter, page] of [
      [{}, { limit: 0 }],
      [{}, { limit: 201 }],
      [{ queue: "bad*queue" }, {}],
      [{ from: 5, to: 4 }, {}],
      [{}, { cursor: "not-a-cursor" }],
      [{ group: "a b" }, {}],
    ] as const) {
      await expect(listDeadLetters(redis, filter as DlqFilter, page)).rejects.toMatchObject({
        code: "INVALID_INPUT",
      });
    }
  });
});

describe("getDeadLetter and listGroups", () => {
  it("returns the full dead letter, a corrupt payload as raw text, and NOT_FOUND", async () => {
    const q = uniqueName("r");
    await seedDeadLetters(redis, q, [
      { id: "ok", payload: { doc: 7 }, message: "boom", attempts: 2, metadata: { by: "api" } },
      { id: "bad", rawPayload: "{not json" },
    ]);
    const d = await getDeadLetter(redis, q, "ok");
    expect(d).toMatchObject({ queue: q, id: "ok", payload: { doc: 7 }, attempts: 2, reason: "failed" });
    expect(d.metadata).toEqual({ by: "api" });
    expect(d.errors.map((e) => e.message)).toEqual(["boom", "boom"]);
    const bad = await getDeadLetter(redis, q, "bad");
    expect(bad).toMatchObject({ payload: "{not json", reason: "corrupt" });
    await expect(getDeadLetter(redis, q, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists groups with counts, info and first/last seen", async () => {
    const q = uniqueName("gr");
    await seedDeadLetters(redis, q, [
      {
        fingerprint: "a",
        deadAt: 10,
        errorName: "TypeError",
        message: "x is undefined",
        topFrame: "at f (a.ts:1)",
      },
      { fingerprint: "a", deadAt: 30 },
      { fingerprint: "b", deadAt: 20, message: "boom" },
    ]);
    const groups = await listGroups(redis, q);
    expect(groups.map((g) => [g.fingerprint, g.count])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    expect(groups[0]).toMatchObject({
      name: "TypeError",
      sampleMessage: "x is undefined",
      firstSeen: 10,
      lastSeen: 30,
    });
    expect((await listGroups(redis)).filter((g) => g.queue === q)).toHaveLength(2);
  });
});
