/** Invalidation on a real Redis: by key, by tag (also from a second process), by user, namespace flush. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inChildProcess as runChild } from "../../test/harness/child-cache.ts";
import { countingLoader, type TestCache, testCache } from "../../test/harness/fixtures.ts";
import { globalKeys } from "../redis/keys.ts";

let t: TestCache;
beforeAll(async () => {
  t = await testCache();
});
afterAll(() => t.close());

const inChildProcess = (action: string, arg: string) => runChild(t.config, action, arg);

describe("invalidation", () => {
  it("by key", async () => {
    await t.cache.set("k", 1);
    await t.cache.delete("k");
    const loader = countingLoader(2);
    expect(await t.cache.getOrSet("k", loader)).toBe(2);
    expect(loader.calls).toBe(1);
  });

  it("by tag: every tagged entry in every namespace misses, untagged ones stay", async () => {
    const doc = t.cache.namespace("document");
    const vec = t.cache.namespace("vector_search");
    await doc.set("summary:42", "s42", { tags: ["document:42"] });
    await vec.set("q1", "answer", { tags: ["document:42", "document:7"] });
    await doc.set("summary:7", "s7", { tags: ["document:7"] });
    const result = await t.cache.invalidateTag("document:42");
    expect(result.ok).toBe(true);
    expect(await doc.get("summary:42")).toBeUndefined();
    expect(await vec.get("q1")).toBeUndefined();
    expect(await doc.get("summary:7")).toBe("s7");
  });

  it("by tag: when the namespace registry cannot be read, the answer says not every entry was reached", async () => {
    const other = await testCache();
    try {
      // the registry (written by every process's first write) is a set; a broken one makes SMEMBERS fail
      const registry = globalKeys(other.config.REDIS_KEY_PREFIX).cacheNamespaces;
      await other.client.set(registry, "not a set");
      const result = await other.cache.invalidateTag("document:1");
      expect(result.ok).toBe(false);
      await other.client.del(registry);
      expect((await other.cache.invalidateTag("document:1")).ok).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("by tag, seen by a second process", async () => {
    const doc = t.cache.namespace("document");
    await doc.set("summary:99", "s99", { tags: ["document:99"] });
    expect(await doc.get("summary:99")).toBe("s99");
    const out = await inChildProcess("tag", "document:99");
    expect(JSON.parse(out).ok).toBe(true);
    const loader = countingLoader("s99 v2");
    expect(await doc.getOrSet("summary:99", loader, { tags: ["document:99"] })).toBe("s99 v2");
    expect(loader.calls).toBe(1);
  });

  it("a load that raced an invalidation is not written back", async () => {
    const doc = t.cache.namespace("document");
    const loader = async () => {
      await t.cache.invalidateTag("document:5"); // the data changes while we read it
      return "old";
    };
    expect(await doc.getOrSet("summary:5", loader, { tags: ["document:5"] })).toBe("old");
    const next = countingLoader("new");
    expect(await doc.getOrSet("summary:5", next, { tags: ["document:5"] })).toBe("new");
    expect(next.calls).toBe(1);
  });

  it("by user: a permission change invalidates that user's entries only", async () => {
    const user = t.cache.namespace("user");
    const vec = t.cache.namespace("vector_search");
    await user.set("me", { role: "viewer" }, { user: "u1" });
    await vec.set("chat", "a1", { user: "u1" });
    await user.set("me", { role: "admin" }, { user: "u2" });
    await t.cache.invalidateUser("u1");
    expect(await user.get("me", { user: "u1" })).toBeUndefined();
    expect(await vec.get("chat", { user: "u1" })).toBeUndefined();
    expect(await user.get("me", { user: "u2" })).toEqual({ role: "admin" });
  });
});

describe("namespace flush", () => {
  it("makes one namespace miss in O(1) and leaves the others", async () => {
    const graph = t.cache.namespace("graph");
    const doc = t.cache.namespace("document");
    await graph.set("g", 1);
    await doc.set("d", 2);
    await t.cache.flushNamespace("graph");
    expect(await graph.get("g")).toBeUndefined();
    expect(await doc.get("d")).toBe(2);
    // the old entry is not deleted: it expires on its own
    expect(await t.client.exists(graph.entryKey("g"))).toBe(1);
    await graph.set("g", 3);
    expect(await graph.get("g")).toBe(3);
  });

  it("from a second process", async () => {
    const job = t.cache.namespace("job_status");
    await job.set("j", "running");
    await inChildProcess("flush", "job_status");
    expect(await job.get("j")).toBeUndefined();
  });
});
