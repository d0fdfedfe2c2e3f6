/**
 * The near cache (L1) on a real Redis (and, with TEST_REDIS_CLUSTER=1, a 3-master cluster):
 * every kind of write by a second process drops this process's copy; a lost connection empties
 * L1 until tracking is back; the byte budget holds; user scoping holds.
 */
import { Redis as IORedis, type Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inChildProcess } from "../../test/harness/child-cache.ts";
import { countingLoader, sleep, type TestCache, testCache, until } from "../../test/harness/fixtures.ts";
import { isCluster, startRedisServer } from "../../test/harness/index.ts";
import { type Sentinel, startSentinel } from "../../test/harness/sentinel.ts";
import { Cache } from "./cache.ts";
import type { CacheNamespace } from "./namespace.ts";
import { cacheSeries } from "./stats.ts";

let t: TestCache;
let doc: CacheNamespace;
const child = (action: string, ...args: string[]) => inChildProcess(t.config, action, ...args);

beforeAll(async () => {
  t = await testCache({ CACHE_NEAR_ENABLED: "true" });
  doc = t.cache.namespace("document");
  await until(() => t.cache.near()?.usable, 20_000, "tracking confirmed");
});
afterAll(() => t.close());

/** Writes `value` and reads it until this process holds it in L1 (the second read keeps it). */
async function cached(
  ns: CacheNamespace,
  key: string,
  value: unknown,
  opts: { tags?: string[]; user?: string } = {},
) {
  await ns.set(key, value, opts);
  await until(
    async () => {
      expect(await ns.get(key, opts)).toEqual(value);
      return ns.inNear(key, opts);
    },
    10_000,
    `${key} in L1`,
  );
}

describe("near cache", () => {
  it("serves a kept entry from process memory and counts it apart from Redis hits", async () => {
    await cached(doc, "counted", { n: 1 });
    const from = Date.now();
    for (let i = 0; i < 5; i++) expect(await doc.get("counted")).toEqual({ n: 1 });
    await t.cache.flushStats();
    const rows = await cacheSeries(
      t.client,
      "document",
      from - 60_000,
      Date.now(),
      t.config.REDIS_KEY_PREFIX,
    );
    expect(rows.reduce((n, r) => n + r.l1Hits, 0)).toBeGreaterThanOrEqual(5);
  });

  it("each caller gets its own copy: mutating a returned value does not change the cache", async () => {
    await cached(doc, "copy", { list: [1] });
    const a = await doc.get<{ list: number[] }>("copy");
    a!.list.push(2);
    expect(await doc.get("copy")).toEqual({ list: [1] });
  });

  it("a frozen namespace shares one deep-frozen value: no copy per hit, and no caller can change it", async () => {
    const shared = t.cache.defineNamespace("frozen_docs", { ttl: 3600, frozen: true });
    await shared.set("f", { list: [1], inner: { a: 1 } });
    const fromRedis = await shared.get<{ list: number[] }>("f");
    expect(Object.isFrozen(fromRedis) && Object.isFrozen(fromRedis!.list)).toBe(true);
    await cached(shared, "f", { list: [1], inner: { a: 1 } });
    const a = await shared.get<{ list: number[]; inner: { a: number } }>("f");
    const b = await shared.get("f");
    expect(b).toBe(a); // the same object: served from L1 without a parse
    expect(() => a!.list.push(2)).toThrow(TypeError);
    expect(() => {
      a!.inner.a = 2;
    }).toThrow(TypeError);
    expect(await shared.get("f")).toEqual({ list: [1], inner: { a: 1 } });
    // and another process's write still drops it
    await child("set", "frozen_docs", "f", '"new"');
    await until(async () => (await shared.get("f")) === "new", 10_000, "invalidation seen");
  });

  it("a write by this process is seen at once by this process", async () => {
    await cached(doc, "own", "v1");
    await doc.set("own", "v2");
    expect(await doc.get("own")).toBe("v2");
    await cached(doc, "own", "v3");
    await doc.delete("own");
    expect(await doc.get("own")).toBeUndefined();
    await cached(doc, "own-tag", "v", { tags: ["t-own"] });
    await t.cache.invalidateTag("t-own");
    expect(await doc.get("own-tag")).toBeUndefined();
    await cached(doc, "own-flush", "v");
    await doc.flush();
    expect(await doc.get("own-flush")).toBeUndefined();
  });

  // Each write below comes from another process; L1 must drop its copy when Redis says so.
  const kinds: [string, (key: string, entry: string) => Promise<unknown>, unknown][] = [
    ["a set through the cache", (key) => child("set", "document", key, '"new"'), "new"],
    ["a delete through the cache", (key) => child("delete", "document", key), undefined],
    ["a tag invalidation", (key) => child("tag", `tag-${key}`), undefined],
    ["a namespace flush (generation bump)", () => child("flush", "document"), undefined],
    [
      "a plain SET (the CLI, another program)",
      (_k, entry) => child("raw", "SET", entry, "garbage"),
      undefined,
    ],
    ["a plain DEL", (_k, entry) => child("raw", "DEL", entry), undefined],
    ["a script", (_k, entry) => child("script", entry, "garbage"), undefined],
    ["an expiry", (_k, entry) => child("raw", "PEXPIRE", entry, "1"), undefined],
  ];
  for (const [kind, write, after] of kinds) {
    it(`drops the copy on ${kind} by a second process`, async () => {
      const key = `kind-${kind.replace(/\W+/g, "-")}`;
      await cached(doc, key, "old", { tags: [`tag-${key}`] });
      await write(key, doc.entryKey(key));
      await until(async () => (await doc.get(key)) !== "old", 10_000, `${kind} seen`);
      expect(await doc.get(key)).toEqual(after);
    });
  }

  it("drops the copy on a user invalidation by a second process, and never crosses users", async () => {
    const users = t.cache.namespace("user");
    await cached(users, "profile", { name: "alice" }, { user: "alice" });
    expect(await users.get("profile", { user: "bob" })).toBeUndefined();
    await cached(users, "profile", { name: "bob" }, { user: "bob" });
    expect(await users.get("profile", { user: "alice" })).toEqual({ name: "alice" });
    await child("user", "alice");
    await until(async () => (await users.get("profile", { user: "alice" })) === undefined, 10_000);
    expect(await users.get("profile", { user: "bob" })).toEqual({ name: "bob" });
  });

  it("getOrSet is served from L1, and loads again after another process's write", async () => {
    const loader = countingLoader((n: number) => `load-${n}`);
    expect(await doc.getOrSet("gos", loader)).toBe("load-1");
    await until(async () => (await doc.getOrSet("gos", loader)) && doc.inNear("gos"), 10_000);
    expect(await doc.getOrSet("gos", loader)).toBe("load-1");
    await child("delete", "document", "gos");
    await until(async () => (await doc.getOrSet("gos", loader)) === "load-2", 10_000);
    expect(loader.calls).toBe(2);
  });

  it("short-TTL namespaces (job_status) stay out of L1 unless they ask", async () => {
    const status = t.cache.namespace("job_status");
    await status.set("s", 1);
    expect(await status.get("s")).toBe(1);
    expect(await status.get("s")).toBe(1);
    expect(status.inNear("s")).toBe(false);
    const asked = t.cache.defineNamespace("short_near", { ttl: 5, near: true });
    await cached(asked, "s", 1);
  });

  it("keeps within CACHE_NEAR_MAX_BYTES under a flood of distinct keys", async () => {
    const small = await testCache({ CACHE_NEAR_ENABLED: "true", CACHE_NEAR_MAX_BYTES: "20000" });
    try {
      await until(() => small.cache.near()?.usable, 20_000, "tracking confirmed");
      const ns = small.cache.namespace("document");
      let peak = 0;
      for (let i = 0; i < 300; i++) {
        await ns.set(`flood-${i}`, { i, pad: "x".repeat(100) });
        // until kept: the echo of this process's own write may refuse or drop the first copy
        await until(async () => (await ns.get(`flood-${i}`)) && ns.inNear(`flood-${i}`), 10_000);
        peak = Math.max(peak, small.cache.near()!.bytes);
      }
      const state = small.cache.near()!;
      expect(peak).toBeLessThanOrEqual(20_000);
      expect(state.entries).toBeGreaterThan(10);
      expect(state.entries).toBeLessThan(300);
      // the most recent keys are the ones kept
      expect(ns.inNear("flood-299")).toBe(true);
      expect(ns.inNear("flood-0")).toBe(false);
    } finally {
      await small.close();
    }
  });

  it("empties L1 when the tracked connection drops, and fills it again once tracking is back", async () => {
    await cached(doc, "drop-main", "v");
    const conn = isCluster()
      ? (t.client as unknown as { nodes(r: string): Redis[] }).nodes("master")[0]
      : (t.client as Redis);
    const id = await conn.client("ID");
    await killClient(conn, Number(id));
    // What the loss leaves behind, not the loss itself: on a fast reconnect tracking can be lost
    // and confirmed again between two polls, but the copy kept before it is gone for good.
    await until(() => !doc.inNear("drop-main"), 10_000, "tracking lost: L1 emptied");
    await until(() => t.cache.near()?.usable, 20_000, "tracking back");
    await cached(doc, "drop-main", "v2");
    expect(await doc.get("drop-main")).toBe("v2");
  });

  it("empties L1 when the invalidation connection drops, and fills it again once tracking is back", async () => {
    await cached(doc, "drop-sub", "v");
    const conn = isCluster()
      ? (t.client as unknown as { nodes(r: string): Redis[] }).nodes("master")[0]
      : (t.client as Redis);
    const info = (await conn.call("CLIENT", "TRACKINGINFO")) as unknown[];
    const redirect = Number(info[info.indexOf("redirect") + 1]);
    expect(redirect).toBeGreaterThan(0);
    await killClient(conn, redirect);
    await until(() => !doc.inNear("drop-sub"), 10_000, "tracking lost: L1 emptied"); // as above
    await until(() => t.cache.near()?.usable, 20_000, "tracking back");
    await cached(doc, "drop-sub", "v2");
    // and invalidations reach the new subscriber
    await child("delete", "document", "drop-sub");
    await until(async () => (await doc.get("drop-sub")) === undefined, 10_000);
  });

  it("drops the copy when Redis evicts the entry (maxmemory)", async () => {
    const server = await startRedisServer({
      args: ["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"],
    });
    const cache = new Cache({
      config: {
        ...t.config,
        REDIS_URL: server.url,
        REDIS_CLUSTER_NODES: undefined,
        CACHE_NEAR_ENABLED: true,
      },
      stats: false,
    });
    try {
      await cache.ready(10_000);
      await until(() => cache.near()?.usable, 20_000, "tracking confirmed");
      const ns = cache.namespace("document");
      await ns.set("victim", "v");
      await until(async () => (await ns.get("victim")) === "v" && ns.inNear("victim"), 10_000);
      const filler = "y".repeat(50_000);
      for (let i = 0; i < 200 && ns.inNear("victim"); i++) await cache.client.set(`fill-${i}`, filler);
      const evicted = Number(/evicted_keys:(\d+)/.exec(await cache.client.info("stats"))?.[1]);
      expect(evicted).toBeGreaterThan(0);
      await until(() => !ns.inNear("victim"), 10_000, "eviction seen");
    } finally {
      await cache.close();
      await server.stop();
    }
  });
});

describe("near cache through Redis Sentinel", () => {
  /** A cache on a Sentinel-managed master (its breaker resets fast: the failover test waits for it). */
  const sentinelCache = (sentinel: Sentinel) =>
    new Cache({
      config: {
        ...t.config,
        REDIS_URL: "redis://127.0.0.1:6379",
        REDIS_CLUSTER_NODES: undefined,
        REDIS_SENTINELS: [{ host: "127.0.0.1", port: sentinel.port }],
        REDIS_SENTINEL_NAME: "mymaster",
        CACHE_NEAR_ENABLED: true,
        CACHE_BREAKER_RESET_MS: 200,
      },
      stats: false,
    });

  it("tracks on the master the Sentinel client reached, and drops the copy on another client's write", async () => {
    const master = await startRedisServer();
    const sentinel = await startSentinel(master.port);
    const cache = sentinelCache(sentinel);
    const other = new IORedis(master.port, "127.0.0.1");
    try {
      expect(await cache.ready(20_000)).toBe(true);
      await until(() => cache.near()?.usable, 20_000, "tracking confirmed");
      const ns = cache.namespace("document");
      await cached(ns, "via-sentinel", "old");
      await other.del(ns.entryKey("via-sentinel"));
      await until(async () => (await ns.get("via-sentinel")) === undefined, 10_000, "invalidation seen");
    } finally {
      await cache.close();
      other.disconnect();
      await sentinel.stop();
      await master.stop();
    }
  });

  // The master is killed; the Sentinel promotes its replica. Until tracking is confirmed on the
  // new master L1 must hold nothing (nothing the old master vouched for may be served), then it
  // fills again, and a write on the new master by another process reaches this one.
  it("after a failover, empties L1 until tracking is confirmed on the new master, then refills and invalidates", async () => {
    const master = await startRedisServer();
    const replica = await startRedisServer({ args: ["--replicaof", "127.0.0.1", String(master.port)] });
    const onReplica = new IORedis(replica.port, "127.0.0.1");
    let sentinel: Sentinel | undefined;
    let cache: Cache | undefined;
    try {
      await until(
        async () => /master_link_status:up/.test(await onReplica.info("replication")),
        20_000,
        "replica in sync",
      );
      sentinel = await startSentinel(master.port);
      const admin = sentinel.admin;
      // a failover needs a replica the Sentinel knows and has seen connected
      await until(
        async () => {
          const replicas = (await admin.call("SENTINEL", "REPLICAS", "mymaster")) as string[][];
          return replicas.some((r) => r[r.indexOf("master-link-status") + 1] === "ok");
        },
        30_000,
        "sentinel sees the replica",
      );
      cache = sentinelCache(sentinel);
      const c = cache;
      expect(await c.ready(20_000)).toBe(true);
      await until(() => c.near()?.usable, 20_000, "tracking confirmed");
      const ns = c.namespace("document");
      await cached(ns, "failover", "old");
      const entry = ns.entryKey("failover");
      await until(async () => (await onReplica.get(entry)) !== null, 10_000, "entry replicated");

      // read continuously through the failover, noting what L1 holds whenever it is not usable
      const seen: { usable: boolean; entries: number; inNear: boolean }[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) {
          await ns.get("failover");
          const s = c.near()!;
          seen.push({ usable: s.usable, entries: s.entries, inNear: ns.inNear("failover") });
          await sleep(2);
        }
      })();
      await master.kill9();
      const remotePort = () =>
        (c.client as unknown as { stream?: { remotePort?: number } }).stream?.remotePort;
      await until(
        () => remotePort() === replica.port && c.near()?.usable,
        60_000,
        "tracking on the new master",
      );
      reading = false;
      await reader;

      const unusable = seen.filter((s) => !s.usable);
      expect(unusable.length).toBeGreaterThan(0);
      expect(unusable.every((s) => s.entries === 0 && !s.inNear)).toBe(true);
      // tracking is on for the cache's connection, redirected to a subscriber on the new master
      const info = (await c.client.call("CLIENT", "TRACKINGINFO")) as unknown[];
      expect(info[info.indexOf("flags") + 1]).toContain("on");
      const redirect = String(info[info.indexOf("redirect") + 1]);
      expect(await onReplica.client("LIST", "ID", redirect)).toContain("requeue-cache-invalidations");

      // L1 fills again from the new master, and another process's write there drops the copy
      await until(
        async () => (await ns.get("failover")) === "old" && ns.inNear("failover"),
        20_000,
        "refill",
      );
      await inChildProcess(
        { ...t.config, REDIS_URL: replica.url, REDIS_CLUSTER_NODES: undefined },
        "set",
        "document",
        "failover",
        '"new"',
      );
      await until(async () => (await ns.get("failover")) === "new", 10_000, "invalidation on the new master");
    } finally {
      await cache?.close();
      onReplica.disconnect();
      await sentinel?.stop();
      await replica.stop();
      await master.stop();
    }
  }, 120_000);
});

/** CLIENT KILL ID on the server `conn` is connected to, from another connection. */
async function killClient(conn: Redis, id: number) {
  const killer = conn.duplicate();
  try {
    await killer.client("KILL", "ID", String(id));
  } finally {
    killer.disconnect();
  }
}
