/** The cache API on a real Redis: namespaces, get/set/delete, getOrSet, wrap, access control, secrets, compression. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingLoader, type TestCache, testCache } from "../../test/harness/fixtures.ts";
import { CacheError } from "./errors.ts";

let t: TestCache;
beforeAll(async () => {
  t = await testCache({
    CACHE_USER_TTL: "900",
    CACHE_GRAPH_TTL: "600",
    CACHE_COMPRESS_THRESHOLD_BYTES: "256",
  });
});
afterAll(() => t.close());

describe("namespaces", () => {
  it("take their TTLs from the configuration, and users can add their own", async () => {
    const graph = t.cache.namespace("graph");
    await graph.set("g1", { nodes: 3 });
    const pttl = await t.client.pttl(graph.entryKey("g1"));
    expect(pttl).toBeGreaterThan(590_000);
    expect(pttl).toBeLessThanOrEqual(600_000);

    const mine = t.cache.defineNamespace("reports", { ttl: 42 });
    await mine.set("r1", "x");
    expect(await t.client.pttl(mine.entryKey("r1"))).toBeLessThanOrEqual(42_000);
    expect(await t.cache.listNamespaces()).toEqual(
      expect.arrayContaining(["reports", "graph", "user", "default"]),
    );
  });

  it("reject names that would break keys", () => {
    expect(() => t.cache.namespace("a b")).toThrow(CacheError);
  });
});

describe("get, set, delete, getOrSet", () => {
  it("round-trip values and delete them", async () => {
    const ns = t.cache.namespace("default");
    expect(await ns.get("k")).toBeUndefined();
    expect(await ns.set("k", { a: [1, 2], b: null })).toBe(true);
    expect(await ns.get("k")).toEqual({ a: [1, 2], b: null });
    expect(await ns.delete("k")).toBe(true);
    expect(await ns.get("k")).toBeUndefined();
  });

  it("an unreadable entry is a miss that gets overwritten", async () => {
    const ns = t.cache.namespace("default");
    await t.client.set(ns.entryKey("broken"), "not an entry");
    const loader = countingLoader("fixed");
    expect(await ns.getOrSet("broken", loader)).toBe("fixed");
    expect(await ns.getOrSet("broken", loader)).toBe("fixed");
    expect(loader.calls).toBe(1);
    expect(t.cache.breaker().consecutiveFailures).toBe(0);
  });

  it("reads every header shape: plain, tagged, a fractional time from an older writer; rejects broken ones", async () => {
    const ns = t.cache.namespace("default");
    const later = Date.now() + 60_000;
    const body = JSON.stringify({ a: 1 });
    const hits: [string, string][] = [
      ["plain", `j${later}|0|\n${body}`],
      ["fractional", `j${later}.5|0|\n${body}`],
    ];
    for (const [key, raw] of hits) {
      await t.client.set(ns.entryKey(key), raw);
      expect(await ns.get(key), key).toEqual({ a: 1 });
    }
    await ns.set("tagged", { a: 1 }, { tags: ["doc:1", "team:2"] });
    expect(await ns.getOrSet("tagged", async () => "not called", { tags: ["doc:1"] })).toEqual({ a: 1 });
    expect(await ns.get("tagged")).toEqual({ a: 1 });
    const broken = [`x${later}|0|\n${body}`, `j${later}|0|`, `j${later}|0\n${body}`, `j|0|\n${body}`];
    for (const [i, raw] of broken.entries()) {
      await t.client.set(ns.entryKey(`broken-${i}`), raw);
      expect(await ns.getOrSet(`broken-${i}`, async () => "loaded"), raw).toBe("loaded");
    }
    expect(t.cache.breaker().consecutiveFailures).toBe(0);
  });

  it("getOrSet calls the loader on a miss only", async () => {
    const loader = countingLoader({ v: 1 });
    expect(await t.cache.getOrSet("g", loader)).toEqual({ v: 1 });
    expect(await t.cache.getOrSet("g", loader)).toEqual({ v: 1 });
    expect(loader.calls).toBe(1);
  });

  it("many concurrent calls (their writes coalesced into few socket writes) all land", async () => {
    const ns = t.cache.namespace("job_status");
    const keys = Array.from({ length: 200 }, (_, i) => `job-${i}`);
    await Promise.all(keys.map((k) => ns.getOrSet(k, async () => ({ k }))));
    const loader = countingLoader("not called");
    const again = await Promise.all(keys.map((k) => ns.getOrSet(k, loader)));
    expect(again).toEqual(keys.map((k) => ({ k })));
    expect(loader.calls).toBe(0);
  });

  it("wrap turns a function into a cached one keyed by its arguments", async () => {
    let calls = 0;
    const summary = async (id: number, opts: { lang: string; short: boolean }) => {
      calls++;
      return `${id}-${opts.lang}-${opts.short}`;
    };
    const cached = t.cache.wrap(summary, { namespace: "document" });
    expect(await cached(1, { lang: "en", short: true })).toBe("1-en-true");
    expect(await cached(1, { short: true, lang: "en" })).toBe("1-en-true"); // same key, other order
    expect(await cached(2, { lang: "en", short: true })).toBe("2-en-true");
    expect(calls).toBe(2);
  });
});

describe("CACHE_ENABLED=false", () => {
  it("makes every call a pass-through without changing callers", async () => {
    const off = await testCache({ CACHE_ENABLED: "false" });
    try {
      const loader = countingLoader("fresh");
      expect(await off.cache.getOrSet("k", loader)).toBe("fresh");
      expect(await off.cache.getOrSet("k", loader)).toBe("fresh");
      expect(loader.calls).toBe(2);
      expect(await off.cache.set("k", 1)).toBe(false);
      expect(await off.cache.get("k")).toBeUndefined();
      expect(await off.client.exists(off.cache.namespace("default").entryKey("k"))).toBe(0);
    } finally {
      await off.close();
    }
  });
});

describe("access control", () => {
  it("a user never reads another user's entry", async () => {
    const user = t.cache.namespace("user");
    const alice = await user.getOrSet("profile", async () => ({ name: "alice" }), { user: "alice" });
    const bobLoader = countingLoader({ name: "bob" });
    const bob = await user.getOrSet("profile", bobLoader, { user: "bob" });
    expect(alice).toEqual({ name: "alice" });
    expect(bob).toEqual({ name: "bob" });
    expect(bobLoader.calls).toBe(1);
    expect(await user.get("profile", { user: "bob" })).toEqual({ name: "bob" });
    expect(await user.get("profile", { user: "alice" })).toEqual({ name: "alice" });
    expect(await user.get("profile", { user: "mallory" })).toBeUndefined();
  });

  it("a user's hit is one MGET, through get and getOrSet alike", async () => {
    const user = t.cache.namespace("user");
    await user.set("profile", { name: "Ann" }, { user: "u-ann" });
    const commands: string[] = [];
    const send = t.client.sendCommand.bind(t.client);
    t.client.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
      commands.push(command.name);
      return (send as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof t.client.sendCommand;
    try {
      expect(await user.get("profile", { user: "u-ann" })).toEqual({ name: "Ann" });
      expect(await user.getOrSet("profile", async () => "not called", { user: "u-ann" })).toEqual({
        name: "Ann",
      });
    } finally {
      t.client.sendCommand = send;
    }
    // (the statistics flush may write meanwhile: only reads are counted)
    expect(commands.filter((c) => c === "mget" || c === "get")).toEqual(["mget", "mget"]);
  });

  it("a user-scoped namespace refuses a call without a user", async () => {
    await expect(t.cache.namespace("user").get("profile")).rejects.toMatchObject({
      code: "CACHE_INVALID_ARGUMENT",
    });
  });

  it("refuses values that look like secrets unless the caller opts in", async () => {
    const ns = t.cache.namespace("default");
    const err = await ns.set("u", { name: "a", auth: { api_key: "k" } }).catch((e) => e);
    expect(err).toBeInstanceOf(CacheError);
    expect(err.code).toBe("CACHE_SECRET_REFUSED");
    expect(err.message).toContain("api_key");
    await expect(ns.getOrSet("u2", async () => [{ password: "p" }])).rejects.toMatchObject({
      code: "CACHE_SECRET_REFUSED",
    });
    expect(await ns.set("u", { password: "p" }, { allowSecrets: true })).toBe(true);
    expect(await ns.set("u3", { password: "" })).toBe(true); // an empty field holds no secret
  });

  it("takes the list of secret fields from CACHE_SECRET_FIELDS", async () => {
    const custom = await testCache({ CACHE_SECRET_FIELDS: "pin" });
    try {
      await expect(custom.cache.set("a", { pin: "1234" })).rejects.toMatchObject({
        code: "CACHE_SECRET_REFUSED",
      });
      expect(await custom.cache.set("b", { password: "x" })).toBe(true);
    } finally {
      await custom.close();
    }
  });
});

describe("compression", () => {
  it("compresses values over the threshold, and compressed and plain values both read back", async () => {
    const ns = t.cache.namespace("document");
    const big = { text: "lorem ipsum ".repeat(200), n: 1 };
    const small = { text: "short" };
    await ns.set("big", big);
    await ns.set("small", small);
    const rawBig = await t.client.getBuffer(ns.entryKey("big"));
    const rawSmall = await t.client.getBuffer(ns.entryKey("small"));
    expect(String.fromCharCode(rawBig![0])).toBe("z");
    expect(String.fromCharCode(rawSmall![0])).toBe("j");
    expect(rawBig!.length).toBeLessThan(JSON.stringify(big).length / 4);
    expect(await ns.get("big")).toEqual(big);
    expect(await ns.get("small")).toEqual(small);
    expect(await ns.getOrSet("big", async () => "not called")).toEqual(big);
  });
});
