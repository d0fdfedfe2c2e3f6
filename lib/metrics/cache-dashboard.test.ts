/** The cache dashboard's data from real lib/cache traffic: steps per range, hit rates, namespaces. */
import { afterAll, describe, expect, it } from "vitest";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { settleStats } from "../../test/harness/settle-stats.ts";
import { createCache } from "../cache/index.ts";
import { sampleRedis } from "../cache/redis-sampler.ts";
import { cacheDashboard, namespaceRows, UnknownNamespaceError } from "./cache-dashboard.ts";
import type { CachePoint } from "./cache-dashboard-types.ts";

/** A loaded test machine may take over the 50 ms default: a timed-out lookup counts as an error, not a miss. */
const SLOW_OK = { CACHE_TIMEOUT_MS: "10000" };

const client = testRedis();
afterAll(() => client.quit());

/** Points summed: the traffic may straddle a minute boundary. */
const sum = (points: CachePoint[]) => ({
  hits: points.reduce((n, p) => n + p.hits, 0),
  misses: points.reduce((n, p) => n + p.misses, 0),
});

async function seeded() {
  const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("cd"), ...SLOW_OK });
  const cache = createCache({ client, config });
  expect(await cache.ready()).toBe(true); // calls before the first connection bypass Redis
  // document: 2 misses + 6 hits; graph: 1 miss. Plain get/set, so each count is exact.
  const doc = cache.namespace("document");
  for (const k of ["a", "b"]) expect(await doc.get(k)).toBeUndefined();
  for (const k of ["a", "b"]) expect(await doc.set(k, k)).toBe(true);
  for (let round = 0; round < 3; round++) for (const k of ["a", "b"]) expect(await doc.get(k)).toBe(k);
  expect(await cache.namespace("graph").get("g")).toBeUndefined();
  await settleStats(cache);
  await cache.close();
  // The suite shares one redis-server, which other files fill with tens of thousands of keys: a
  // SCAN bound sized for production could then miss this namespace's two keys.
  await sampleRedis(client, { prefix: config.REDIS_KEY_PREFIX, maxScanCalls: 10_000 });
  return config;
}

describe("cache dashboard", () => {
  it("folds minutes into the range's steps and computes hit rates per namespace and in total", async () => {
    const config = await seeded();
    const d = await cacheDashboard(client, { range: "1h", config });
    expect(d.stepMs).toBe(60_000);
    expect(d.total).toHaveLength(60);
    expect(d.to - d.from).toBe(3_600_000);
    expect(d.hitRateThreshold).toBe(0.7);
    expect(sum(d.total)).toEqual({ hits: 6, misses: 3 });
    const active = d.total.filter((p) => p.hitRate !== null);
    expect(active.length).toBeGreaterThanOrEqual(1);
    expect(active.every((p) => (p.p99Ms ?? 0) > 0)).toBe(true);
    if (active.length === 1) expect(active[0].hitRate).toBe(6 / 9);
    const byName = Object.fromEntries(d.namespaces.map((n) => [n.name, sum(n.points)]));
    expect(byName).toEqual({ document: { hits: 6, misses: 2 }, graph: { hits: 0, misses: 1 } });
    expect(d.redis.at(-1)?.usedMemory).toBeGreaterThan(0);
    expect(d.redisNow.usedMemory).toBeGreaterThan(0);

    const week = await cacheDashboard(client, { range: "7d", config });
    expect(week.stepMs).toBe(7_200_000);
    expect(week.total).toHaveLength(84);
    expect(sum(week.total)).toEqual({ hits: 6, misses: 3 });
    expect((await cacheDashboard(client, { range: "24h", config })).total).toHaveLength(96);
  });

  it("narrows to one namespace, and refuses one nobody has used", async () => {
    const config = await seeded();
    const d = await cacheDashboard(client, { range: "1h", namespace: "graph", config });
    expect(d.namespaces.map((n) => n.name)).toEqual(["graph"]);
    expect(sum(d.total)).toEqual({ hits: 0, misses: 1 });
    await expect(cacheDashboard(client, { range: "1h", namespace: "nope", config })).rejects.toBeInstanceOf(
      UnknownNamespaceError,
    );
  });

  it("lists namespaces with their last hour and the sampled size", async () => {
    const config = await seeded();
    const { namespaces } = await namespaceRows(client, config);
    const doc = namespaces.find((n) => n.name === "document")!;
    expect(doc).toMatchObject({ hits: 6, misses: 2, hitRate: 0.75 });
    // two entries, plus whatever bookkeeping keys the namespace keeps
    expect(doc.keys).toBeGreaterThanOrEqual(2);
    expect(doc.memoryBytes).toBeGreaterThan(0);
    expect(doc.savedMs).toBeNull(); // plain get/set: no loader ran, so its time is unknown
  });

  it("says how much of the source's time the hits saved: hits × the average loader time", async () => {
    const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("cd"), ...SLOW_OK });
    const cache = createCache({ client, config });
    expect(await cache.ready()).toBe(true);
    const vec = cache.namespace("vector_search");
    const slowLoader = (k: string) => async () => {
      await new Promise((r) => setTimeout(r, 25));
      return `answer ${k}`;
    };
    // 2 loads of ~25 ms each, then 6 hits: ~150 ms saved (a 25 ms timer may fire a little early
    // by performance.now(), so the bound allows 20 ms a load)
    for (let round = 0; round < 4; round++) {
      for (const k of ["q1", "q2"]) expect(await vec.getOrSet(k, slowLoader(k))).toBe(`answer ${k}`);
    }
    await settleStats(cache);
    await cache.close();
    const row = (await namespaceRows(client, config)).namespaces.find((n) => n.name === "vector_search")!;
    expect(row).toMatchObject({ hits: 6, misses: 2 });
    expect(row.savedMs).toBeGreaterThanOrEqual(120);
    expect(row.savedMs).toBeLessThan(6 * 25 * 40); // the hour's average, not a sum over every call
  });
});
