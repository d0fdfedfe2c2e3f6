/**
 * Graceful degradation against a redis-server this file starts, stops and pauses itself:
 * callers get the loader's value when Redis is gone or slow, and the circuit breaker opens,
 * half-opens and closes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countingLoader, sleep, until } from "../../test/harness/fixtures.ts";
import { uniqueName } from "../../test/harness/index.ts";
import { type RedisServer, startRedisServer } from "../../test/harness/redis-server.ts";
import { parseConfig } from "../config.ts";
import { createRedisFromUrl, type RedisClient } from "../redis/connection.ts";
import { Cache } from "./cache.ts";

let server: RedisServer;
let client: RedisClient;
let cache: Cache;

function makeCache(env: Record<string, string>) {
  client = createRedisFromUrl(server.url, { failFast: true });
  client.on("error", () => {});
  client.connect().catch(() => {});
  const config = parseConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: uniqueName("d"), ...env });
  cache = new Cache({ client, config });
  return cache;
}

async function untilUp(c: RedisClient) {
  for (let i = 0; i < 200 && c.status !== "ready"; i++) await sleep(25);
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await cache?.close();
  client?.disconnect();
});
afterAll(() => server.stop());

describe("graceful degradation", () => {
  it("Redis stopped mid-test: callers get the loader's value, then the cache again", async () => {
    const c = makeCache({ CACHE_BREAKER_FAILURES: "1000" });
    await untilUp(client);
    expect(await c.getOrSet("k", async () => "cached")).toBe("cached");
    await server.kill9();
    const loader = countingLoader("from source");
    const values = await Promise.all(Array.from({ length: 5 }, (_, i) => c.getOrSet(`k${i}`, loader)));
    expect(values).toEqual(Array(5).fill("from source"));
    expect(await c.getOrSet("k", loader)).toBe("from source");
    expect(await c.get("k")).toBeUndefined();
    expect(await c.set("k", 1)).toBe(false);
    await expect(c.delete("k")).rejects.toMatchObject({ code: "CACHE_UNAVAILABLE" });
    expect((await c.invalidateTag("x", { namespaces: ["default"] })).ok).toBe(false);
    await server.restart();
    await untilUp(client);
    expect(await c.set("k", "back")).toBe(true);
    expect(await c.get("k")).toBe("back");
  });

  it("a Redis that does not answer: the call times out and the loader's value is returned", async () => {
    const c = makeCache({ CACHE_TIMEOUT_MS: "50", CACHE_BREAKER_FAILURES: "1000" });
    await untilUp(client);
    await c.set("slow", "cached");
    // stopped, not paused for a while: Redis cannot answer until SIGCONT, so a value back from
    // getOrSet can only come from the deadline
    process.kill(server.pid ?? 0, "SIGSTOP");
    const loader = countingLoader("from source");
    try {
      expect(await c.getOrSet("slow", loader)).toBe("from source");
      expect(loader.calls).toBe(1);
    } finally {
      process.kill(server.pid ?? 0, "SIGCONT");
    }
    await until(async () => (await c.get("slow")) === "cached", 5000, "the cached value after SIGCONT");
    await c.flushStats();
    const { cacheSeries } = await import("./stats.ts");
    const rows = await cacheSeries(client, "default", Date.now() - 120_000, Date.now(), c.prefix);
    const timeouts = rows.reduce((n, r) => n + r.timeouts, 0);
    expect(timeouts).toBeGreaterThanOrEqual(1);
  });

  it("the circuit breaker opens after repeated failures, half-opens, and closes", async () => {
    const c = makeCache({ CACHE_BREAKER_FAILURES: "3", CACHE_BREAKER_RESET_MS: "300" });
    await untilUp(client);
    let sent = 0;
    const send = client.sendCommand.bind(client);
    client.sendCommand = ((...args: unknown[]) => {
      sent++;
      return (send as (...a: unknown[]) => unknown)(...args);
    }) as typeof client.sendCommand;
    await server.kill9();
    const loader = countingLoader("v");
    for (let i = 0; i < 3; i++) await c.getOrSet("k", loader);
    expect(c.breaker().state).toBe("open");
    expect(c.breaker().opens).toBe(1);
    // While open, Redis is not asked at all: the call goes straight to the loader.
    const before = sent;
    expect(await c.getOrSet("k", loader)).toBe("v");
    expect(sent).toBe(before);
    expect(loader.calls).toBe(4);

    await sleep(350);
    expect(c.breaker().state).toBe("half-open");
    await c.getOrSet("k", loader); // the trial call fails: open again
    expect(c.breaker().state).toBe("open");
    expect(c.breaker().opens).toBe(2);

    await server.restart();
    await untilUp(client);
    await sleep(350);
    expect(c.breaker().state).toBe("half-open");
    expect(await c.getOrSet("k", loader)).toBe("v"); // trial succeeds
    expect(c.breaker().state).toBe("closed");
    expect(await c.getOrSet("k", async () => "not called")).toBe("v");
  });
});
