/**
 * The four cache alerts, measured from real traffic: lib/cache calls against a real Redis, its
 * statistics, and the worker's Redis samples (lib/cache/redis-sampler). Memory and evictions use
 * a redis-server of their own with a small maxmemory, so the suite's shared server is untouched.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startRedisServer, testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import type { RedisServer } from "../../test/harness/redis-server.ts";
import { settleStats } from "../../test/harness/settle-stats.ts";
import { createCache } from "../cache/index.ts";
import { sampleRedis } from "../cache/redis-sampler.ts";
import type { Config } from "../config.ts";
import { createRedisFromUrl, type RedisClient } from "../redis/connection.ts";
import { evaluateAlerts, listAlerts } from "./evaluate.ts";
import { setThreshold } from "./settings.ts";

/** A loaded test machine may take over the 50 ms default: a timed-out lookup counts as an error, not a miss. */
const SLOW_OK = { CACHE_TIMEOUT_MS: "10000" };

const shared = testRedis();
afterAll(() => shared.quit());
afterEach(() => vi.useRealTimers());

async function alert(client: RedisClient, config: Config, id: string) {
  return (await listAlerts(client, config)).find((a) => a.id === id)!;
}

describe("cache hit rate alert", () => {
  it("fires on a cold cache (all misses) and resolves when hits bring the rate above 70 %", async () => {
    const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("al"), ...SLOW_OK });
    const cache = createCache({ client: shared, config, stats: true });
    expect(await cache.ready()).toBe(true); // calls before the first connection bypass Redis
    const ns = cache.namespace("document");
    try {
      // Plain get/set, so each lookup counts exactly once, as a hit or a miss.
      for (let i = 0; i < 10; i++) expect(await ns.get(`doc:${i}`)).toBeUndefined();
      await settleStats(cache);
      await evaluateAlerts(shared, { config });
      expect(await alert(shared, config, "cache_hit_rate")).toMatchObject({ state: "firing", value: 0 });

      for (let i = 0; i < 10; i++) expect(await ns.set(`doc:${i}`, { i })).toBe(true);
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 10; i++) expect(await ns.get(`doc:${i}`)).toEqual({ i });
      }
      await settleStats(cache);
      await evaluateAlerts(shared, { config });
      // 40 hits of 50 lookups
      expect(await alert(shared, config, "cache_hit_rate")).toMatchObject({ state: "ok", value: 0.8 });
    } finally {
      await cache.close();
    }
  });

  it("has no value (and does not fire) without cache traffic", async () => {
    const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("al"), ...SLOW_OK });
    await evaluateAlerts(shared, { config });
    expect(await alert(shared, config, "cache_hit_rate")).toMatchObject({ state: "ok", value: null });
    expect(await alert(shared, config, "cache_latency")).toMatchObject({ state: "ok", value: null });
  });
});

describe("cache latency alert", () => {
  it("measures the p99 of real calls and compares it with the threshold", async () => {
    const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("al"), ...SLOW_OK });
    const cache = createCache({ client: shared, config });
    expect(await cache.ready()).toBe(true); // calls before the first connection bypass Redis
    try {
      for (let i = 0; i < 20; i++) await cache.namespace("graph").getOrSet(`g:${i % 5}`, () => i);
      await settleStats(cache);
      // Any real call takes more than 0 ms: with the threshold at 0 the alert must fire.
      await setThreshold(shared, "cache_latency", 0, config);
      await evaluateAlerts(shared, { config });
      const fired = await alert(shared, config, "cache_latency");
      expect(fired.state).toBe("firing");
      expect(fired.value).toBeGreaterThan(0);
      // No local call takes a minute: with the threshold at 60 s it resolves.
      await setThreshold(shared, "cache_latency", 60_000, config);
      await evaluateAlerts(shared, { config });
      expect(await alert(shared, config, "cache_latency")).toMatchObject({ state: "ok" });
    } finally {
      await cache.close();
    }
  });
});

describe("Redis memory and eviction alerts", () => {
  let server: RedisServer;
  let client: RedisClient;
  beforeAll(async () => {
    // volatile-ttl: the filler keys below (10 s TTL) are evicted first, the stats (8 days) last.
    server = await startRedisServer({ args: ["--maxmemory-policy", "volatile-ttl"] });
    client = createRedisFromUrl(server.url);
  });
  afterAll(async () => {
    await client.quit();
    await server.stop();
  });

  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info("memory"))![1]);

  it("memory fires above 80 % of maxmemory and resolves when maxmemory is raised", async () => {
    const config = testConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: uniqueName("al"), ...SLOW_OK });
    await client.config("SET", "maxmemory", "0");
    await sampleRedis(client, { prefix: config.REDIS_KEY_PREFIX });
    await evaluateAlerts(client, { config });
    expect(await alert(client, config, "redis_memory")).toMatchObject({ state: "ok", value: null });

    await client.config("SET", "maxmemory", String(Math.round((await usedMemory()) * 1.1)));
    await sampleRedis(client, { prefix: config.REDIS_KEY_PREFIX });
    await evaluateAlerts(client, { config });
    const fired = await alert(client, config, "redis_memory");
    expect(fired.state).toBe("firing");
    expect(fired.value).toBeGreaterThan(0.8);

    await client.config("SET", "maxmemory", String((await usedMemory()) * 10));
    await sampleRedis(client, { prefix: config.REDIS_KEY_PREFIX });
    await evaluateAlerts(client, { config });
    const resolved = await alert(client, config, "redis_memory");
    expect(resolved.state).toBe("ok");
    expect(resolved.value).toBeLessThan(0.2);
    await client.config("SET", "maxmemory", "0");
  });

  it("evictions fire above 5 % of cache writes in the window and resolve once the window has none", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 + 5_000;
    vi.setSystemTime(t0);
    const config = testConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: uniqueName("al"), ...SLOW_OK });
    const prefix = config.REDIS_KEY_PREFIX;
    const cache = createCache({ client, config });
    expect(await cache.ready()).toBe(true); // calls before the first connection bypass Redis
    try {
      const misses = async (n: number, tag: string) => {
        for (let i = 0; i < n; i++) await cache.namespace("document").getOrSet(`${tag}:${i}`, () => i);
        await settleStats(cache);
      };
      await misses(20, "a");
      await sampleRedis(client, { prefix }); // minute 0: the baseline of evicted_keys

      // Fill Redis past a small maxmemory with short-lived keys: Redis evicts some of them.
      await client.config("SET", "maxmemory", String((await usedMemory()) + 2_000_000));
      const filler = "x".repeat(10_000);
      for (let i = 0; i < 400; i++) await client.set(`${prefix}:filler:${i}`, filler, "EX", 10);
      await client.config("SET", "maxmemory", "0");

      vi.setSystemTime(t0 + 60_000);
      await sampleRedis(client, { prefix }); // minute 1: evictions since minute 0
      await evaluateAlerts(client, { config, now: t0 + 60_000 });
      const fired = await alert(client, config, "eviction_rate");
      expect(fired.state).toBe("firing");
      expect(fired.value).toBeGreaterThan(0.05);

      // Past the window: two samples without evictions, and new misses.
      const later = t0 + (config.ALERT_WINDOW_MINUTES + 2) * 60_000;
      vi.setSystemTime(later - 60_000);
      await sampleRedis(client, { prefix });
      vi.setSystemTime(later);
      await misses(20, "b");
      await sampleRedis(client, { prefix });
      await evaluateAlerts(client, { config, now: later });
      expect(await alert(client, config, "eviction_rate")).toMatchObject({ state: "ok", value: 0 });
    } finally {
      await cache.close();
    }
  });
});
