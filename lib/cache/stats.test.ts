/** Statistics: recorded in memory, flushed in one pipeline, read back as per-minute series and summaries. */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingLoader, type TestCache, testCache } from "../../test/harness/fixtures.ts";
import { isCluster, uniqueName } from "../../test/harness/index.ts";
import { type RedisServer, startRedisServer } from "../../test/harness/redis-server.ts";
import { parseConfig } from "../config.ts";
import { Cache } from "./cache.ts";
import { latestRedisSample, redisSeries, sampleRedis } from "./redis-sampler.ts";
import { breakerStates, cacheSeries, listNamespaces, namespaceSummary } from "./stats.ts";

describe("statistics", () => {
  let t: TestCache;
  beforeAll(async () => {
    t = await testCache({}, { stats: true });
  });
  afterAll(() => t.close());

  it("per namespace and minute: hits, misses, stale hits, bypasses, loader time and latency percentiles", async () => {
    const doc = t.cache.namespace("document");
    const loader = countingLoader("v", 5);
    await doc.getOrSet("a", loader);
    for (let i = 0; i < 9; i++) await doc.getOrSet("a", loader);
    await t.cache.namespace("graph").getOrSet("g", loader);
    await t.cache.flushStats();

    const now = Date.now();
    const rows = await cacheSeries(t.client, "document", now - 60_000, now, t.config.REDIS_KEY_PREFIX);
    expect(rows.length).toBeGreaterThanOrEqual(2); // every minute of the range, zeros included
    const sum = (f: "hits" | "misses" | "loads") => rows.reduce((n, r) => n + r[f], 0);
    expect(sum("hits")).toBe(9);
    expect(sum("misses")).toBe(1);
    expect(sum("loads")).toBe(1);
    const busy = rows.find((r) => r.hits > 0)!;
    expect(busy.loaderMs).toBeGreaterThan(0);
    expect(busy.p50).toBeGreaterThan(0);
    expect(busy.p99).toBeGreaterThanOrEqual(busy.p95);
    expect(busy.p95).toBeGreaterThanOrEqual(busy.p50);

    const all = await cacheSeries(t.client, "all", now - 60_000, now, t.config.REDIS_KEY_PREFIX);
    expect(all.reduce((n, r) => n + r.misses, 0)).toBe(2);
    expect(await listNamespaces(t.client, t.config.REDIS_KEY_PREFIX)).toEqual(["document", "graph"]);

    const summary = await namespaceSummary(t.client, { prefix: t.config.REDIS_KEY_PREFIX });
    const d = summary.find((s) => s.namespace === "document")!;
    expect(d.hitRate).toBeCloseTo(0.9);
    expect(d.savedLoaderMs).toBeGreaterThan(0);
  });

  it("reports each instance's circuit breaker state", async () => {
    await t.cache.getOrSet("x", async () => 1);
    await t.cache.flushStats();
    const states = await breakerStates(t.client, { prefix: t.config.REDIS_KEY_PREFIX });
    expect(states).toEqual([expect.objectContaining({ state: "closed", opens: 0 })]);
  });

  it("the sampler works on the suite's Redis too (a 3-master Cluster with TEST_REDIS_CLUSTER=1)", async () => {
    const sampled = t.cache.namespace("sampled");
    for (let i = 0; i < 10; i++) await sampled.set(`s${i}`, { i });
    const s = await sampleRedis(t.client, { prefix: t.config.REDIS_KEY_PREFIX, sampleKeys: 3 });
    expect(s.nodes).toBe(isCluster() ? 3 : 1);
    expect(s.usedMemory).toBeGreaterThan(0);
    expect(s.namespaces.sampled.sampled).toBeLessThanOrEqual(3);
    // on a Cluster a namespace is one slot: counted exactly, whatever else the server holds
    if (isCluster()) expect(s.namespaces.sampled).toMatchObject({ exact: true, keys: 11 }); // 10 + meta
  });

  it("counts bypasses when the cache is disabled", async () => {
    const off = await testCache({ CACHE_ENABLED: "false" });
    try {
      await off.cache.namespace("user").getOrSet("me", async () => 1, { user: "u" });
      await off.cache.flushStats();
      const rows = await cacheSeries(
        off.client,
        "user",
        Date.now() - 60_000,
        Date.now(),
        off.config.REDIS_KEY_PREFIX,
      );
      expect(rows.reduce((n, r) => n + r.bypasses, 0)).toBe(1);
    } finally {
      await off.close();
    }
  });
});

describe("statistics cost no round trip per call (own redis-server, INFO commandstats)", () => {
  let server: RedisServer;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url);
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  const commands = async () => {
    const info = await client.info("commandstats");
    return [...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].reduce(
      (acc, [, name, n]) => acc.set(name, Number(n)),
      new Map<string, number>(),
    );
  };

  it("100 hits are 100 round trips (one MGET each) and no stats write until the flush", async () => {
    const config = parseConfig({
      REDIS_URL: server.url,
      REDIS_KEY_PREFIX: uniqueName("s"),
      CACHE_STATS_FLUSH_MS: "60000",
    });
    const cacheClient = new Redis(server.url);
    const cache = new Cache({ client: cacheClient, config });
    await cache.ready();
    try {
      await cache.set("hot", { v: 1 });
      await cache.getOrSet("hot", async () => 0); // loads the script
      await client.call("CONFIG", "RESETSTAT");
      let sent = 0;
      const send = cacheClient.sendCommand.bind(cacheClient);
      cacheClient.sendCommand = ((...args: unknown[]) => {
        sent++;
        return (send as (...a: unknown[]) => unknown)(...args);
      }) as typeof cacheClient.sendCommand;
      for (let i = 0; i < 100; i++) await cache.getOrSet("hot", async () => 0);
      expect(sent).toBe(100);
      const during = await commands();
      expect(during.get("mget")).toBe(100);
      expect([...during.keys()]).toEqual(["mget"]); // nothing is written

      await cache.flushStats();
      const after = await commands();
      expect(after.get("hincrby")).toBeGreaterThan(0);
    } finally {
      await cache.close();
      cacheClient.disconnect();
    }
  });

  it("the sampler writes per-minute samples with each namespace's memory from a bounded sample", async () => {
    const prefix = uniqueName("m");
    const config = parseConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: prefix });
    const cache = new Cache({ client, config, stats: false });
    const doc = cache.namespace("document");
    for (let i = 0; i < 200; i++) await doc.set(`d${i}`, { text: "x".repeat(100), i });
    await cache.namespace("graph").set("g", 1);
    await client.call("CONFIG", "SET", "maxmemory", "100mb");
    await client.call("CONFIG", "RESETSTAT");
    const s = await sampleRedis(client, { prefix, sampleKeys: 5, scanCount: 50, maxScanCalls: 2 });
    const scans = (await commands()).get("scan") ?? 0;
    expect(scans).toBeLessThanOrEqual(4); // 2 namespaces × at most 2 SCAN calls
    expect(s.maxmemory).toBe(100 * 1024 * 1024);
    expect(s.memoryRatio).toBeGreaterThan(0);
    expect(s.namespaces.document.sampled).toBeLessThanOrEqual(5);
    expect(s.namespaces.document.avgBytes).toBeGreaterThan(100);
    expect(s.namespaces.document.keys).toBeGreaterThan(0);
    expect(s.namespaces.graph).toBeDefined(); // 2 keys among 200: the bounded scan may not meet them
    expect(s.opsPerSec).toBeGreaterThanOrEqual(0);

    await sampleRedis(client, { prefix }); // the same minute: replaces the sample
    const series = await redisSeries(client, Date.now() - 120_000, Date.now(), prefix);
    expect(series).toHaveLength(1);
    expect(series[0].namespaces.document.keys).toBe(201); // whole-namespace scan: exact (200 + meta)
    expect((await latestRedisSample(client, prefix))?.at).toBe(series[0].at);
    const summary = await namespaceSummary(client, { prefix });
    expect(summary.find((n) => n.namespace === "document")?.memoryBytes).toBeGreaterThan(0);
    await cache.close();
  });
});
