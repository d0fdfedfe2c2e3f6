/** Stampede protection: single-flight in one process, a short lock across processes, stale-while-revalidate. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingLoader, sleep, type TestCache, testCache, until } from "../../test/harness/fixtures.ts";
import { testRedis } from "../../test/harness/index.ts";
import { Cache } from "./cache.ts";

// The same promises with the near cache (L1) on: an L1 miss takes the Redis path unchanged.
describe.each([false, true])("stampede protection (near cache %s)", (near) => {
  let t: TestCache;
  beforeAll(async () => {
    t = await testCache({ CACHE_LOCK_WAIT_MS: "5000", CACHE_NEAR_ENABLED: String(near) });
    await until(() => !near || t.cache.near()?.usable, 20_000, "tracking confirmed");
  });
  afterAll(() => t.close());

  it("concurrent misses of one key in one process call the loader once", async () => {
    const loader = countingLoader("v", 20);
    const values = await Promise.all(Array.from({ length: 25 }, () => t.cache.getOrSet("hot", loader)));
    expect(values).toEqual(Array(25).fill("v"));
    expect(loader.calls).toBe(1);
  });

  it("a loader's error reaches every waiting caller and nothing is cached", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      await sleep(10);
      throw new Error("source down");
    };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => t.cache.getOrSet("bad", failing)),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(calls).toBe(1);
    expect(await t.cache.get("bad")).toBeUndefined();
  });

  it("across processes, the lock lets one loader run while the other waits for its value", async () => {
    // Two cache instances with their own connections stand for two processes.
    const otherClient = testRedis();
    const other = new Cache({ client: otherClient, config: t.config, stats: false });
    await other.ready(20_000);
    try {
      const a = t.cache.namespace("document");
      const b = other.namespace("document");
      const loaderA = countingLoader("from A", 100);
      const loaderB = countingLoader("from B", 100);
      const [va, vb] = await Promise.all([
        a.getOrSet("locked", loaderA, { lock: true }),
        b.getOrSet("locked", loaderB, { lock: true }),
      ]);
      expect(loaderA.calls + loaderB.calls).toBe(1);
      expect(va).toBe(vb);
      // the lock is released after the write
      expect(await t.client.exists(a.keys.lock(a.entryKey("locked")))).toBe(0);
    } finally {
      await other.close();
      otherClient.disconnect();
    }
  });

  it("without the lock, two processes each load (the lock is what prevents it)", async () => {
    const otherClient = testRedis();
    const other = new Cache({ client: otherClient, config: t.config, stats: false });
    await other.ready(20_000);
    try {
      const loaderA = countingLoader("A", 50);
      const loaderB = countingLoader("B", 50);
      await Promise.all([t.cache.getOrSet("unlocked", loaderA), other.getOrSet("unlocked", loaderB)]);
      expect(loaderA.calls + loaderB.calls).toBe(2);
    } finally {
      await other.close();
      otherClient.disconnect();
    }
  });

  it("stale-while-revalidate: within the grace period callers get the stale value while one refresh runs", async () => {
    const ns = t.cache.defineNamespace("swr", { ttl: 60, grace: 60 });
    await ns.set("k", "old", { ttl: 0.05 });
    await sleep(80); // past its TTL, inside its grace period
    const loader = countingLoader("new", 30);
    const values = await Promise.all(Array.from({ length: 10 }, () => ns.getOrSet("k", loader)));
    expect(values).toEqual(Array(10).fill("old"));
    for (let i = 0; i < 100 && (await ns.get("k")) !== "new"; i++) await sleep(10);
    expect(await ns.get("k")).toBe("new");
    expect(loader.calls).toBe(1);
    expect(await ns.getOrSet("k", loader)).toBe("new");
  });

  it("past the grace period an entry is gone and the loader runs", async () => {
    const ns = t.cache.defineNamespace("nograce", { ttl: 60, grace: 0 });
    await ns.set("k", "old", { ttl: 0.05 });
    await sleep(80);
    const loader = countingLoader("new");
    expect(await ns.getOrSet("k", loader)).toBe("new");
    expect(loader.calls).toBe(1);
  });
});
