/** Write-through and write-behind (on lib/queue) against a real Redis. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestCache, testCache, until } from "../../test/harness/fixtures.ts";
import { uniqueName } from "../../test/harness/index.ts";
import { startRedisServer } from "../../test/harness/redis-server.ts";
import { createQueue } from "../queue/index.ts";
import { createRedisFromUrl } from "../redis/connection.ts";
import { writeBehind, writeBehindHandler, writeThrough } from "./strategies.ts";

let t: TestCache;
beforeAll(async () => {
  t = await testCache();
});
afterAll(() => t.close());

describe("write-through", () => {
  it("writes the source, then the cache", async () => {
    const source = new Map<string, unknown>();
    const ns = t.cache.namespace("document");
    await writeThrough(ns, "d1", { title: "new" }, async (v) => source.set("d1", v));
    expect(source.get("d1")).toEqual({ title: "new" });
    expect(await ns.get("d1")).toEqual({ title: "new" });
  });

  it("leaves the cache untouched when the source write fails", async () => {
    const ns = t.cache.namespace("document");
    await ns.set("d2", "old");
    const failing = async () => {
      throw new Error("db down");
    };
    await expect(writeThrough(ns, "d2", "new", failing)).rejects.toThrow("db down");
    expect(await ns.get("d2")).toBe("old");
  });
});

describe("write-behind", () => {
  it("updates the cache at once and writes the source in a job, retried after a failure", async () => {
    const queue = createQueue(uniqueName("wb"), { client: t.client, config: t.config });
    const ns = t.cache.namespace("user");
    const writes: unknown[] = [];
    let attempts = 0;
    try {
      const { jobId, cached } = await writeBehind(
        ns,
        queue,
        "profile",
        { name: "new" },
        {
          user: "u1",
          job: { backoff: { baseMs: 10 } },
        },
      );
      expect(jobId).toBeTruthy();
      expect(cached).toBe(true);
      expect(await ns.get("profile", { user: "u1" })).toEqual({ name: "new" }); // before the job ran
      expect(writes).toEqual([]);
      queue.process(
        writeBehindHandler(async (value, job) => {
          attempts++;
          if (job.attempt === 1) throw new Error("db busy");
          writes.push({ value, key: job.key, user: job.user });
        }),
        { pollMs: 20, promoteIntervalMs: 20 },
      );
      await until(() => writes.length > 0);
      expect(writes).toEqual([{ value: { name: "new" }, key: "profile", user: "u1" }]);
      expect(attempts).toBe(2);
    } finally {
      await queue.close();
    }
  });

  it("changes nothing when the job cannot be added", async () => {
    const server = await startRedisServer();
    const deadClient = createRedisFromUrl(server.url, { failFast: true });
    deadClient.on("error", () => {});
    await server.stop();
    const queue = createQueue(uniqueName("wb"), { client: deadClient, config: t.config });
    const ns = t.cache.namespace("document");
    await ns.set("d3", "old");
    try {
      await expect(writeBehind(ns, queue, "d3", "new")).rejects.toMatchObject({
        code: "CACHE_WRITE_BEHIND_FAILED",
      });
      expect(await ns.get("d3")).toBe("old");
    } finally {
      deadClient.disconnect();
    }
  });
});
