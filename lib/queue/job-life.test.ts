/**
 * A job's whole life in one test (read this first): added, run, failed, dead-lettered, then
 * (lib/dlq) listed, grouped, requeued (one with an edited payload, which the consumer then
 * completes) and deleted. The map of where each step lives: docs/architecture.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privatePrefix, until } from "../../test/harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import {
  countDeadLetters,
  deleteDeadLetter,
  getDeadLetter,
  listDeadLetters,
  listGroups,
  requeueDeadLetter,
} from "../dlq/index.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { createQueue } from "./index.ts";

const prefix = privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

describe("dead letters made by lib/queue", () => {
  it("lists, groups, requeues (the consumer runs it again) and deletes them", async () => {
    const name = uniqueName("docs");
    const queue = createQueue(name, { client: redis, config: testConfig({ REDIS_KEY_PREFIX: prefix }) });
    const done: unknown[] = [];
    const consumer = queue.process<{ doc: number; fixed?: boolean }>(
      async (job) => {
        if (!job.data.fixed) throw new Error(`document ${job.data.doc} has no pages`);
        done.push(job.data);
      },
      { concurrency: 2, pollMs: 20 },
    );
    try {
      const added = await queue.addBatch(
        [1, 2, 3].map((doc) => ({ data: { doc }, opts: { maxAttempts: 1 } })),
      );
      const ids = added.map((a) => a.id);
      await until(
        async () => (await countDeadLetters(redis, { queue: name })) === 3,
        10_000,
        "3 dead letters",
      );

      const page = await listDeadLetters(redis, { queue: name, search: "HAS NO PAGES" });
      expect(page.items.map((d) => d.id).sort()).toEqual([...ids].sort());
      const groups = await listGroups(redis, name);
      expect(groups).toHaveLength(1); // numbers are normalised out of the fingerprint
      expect(groups[0].count).toBe(3);
      const letter = await getDeadLetter(redis, name, ids[0]);
      expect(letter.payload).toEqual({ doc: 1 });
      expect(letter.errors.at(-1)?.message).toContain("has no pages");

      await requeueDeadLetter(redis, name, ids[0], { payload: '{"doc":1,"fixed":true}', by: "test" });
      await until(async () => done.length === 1, 10_000, "the edited job to complete");
      expect(done).toEqual([{ doc: 1, fixed: true }]);
      await expect(requeueDeadLetter(redis, name, ids[0])).rejects.toMatchObject({ code: "NOT_FOUND" });

      // requeued as is, it fails again and dies again, its attempts counted from zero
      await requeueDeadLetter(redis, name, ids[1]);
      await until(
        async () => {
          const d = await getDeadLetter(redis, name, ids[1]).catch(() => null);
          return d !== null && d.history.length > 0;
        },
        10_000,
        "the job to die again",
      );
      expect((await getDeadLetter(redis, name, ids[1])).attempts).toBe(1);

      await deleteDeadLetter(redis, name, ids[2]);
      expect(await redis.exists(queueKeys(name).job(ids[2]))).toBe(0);
      expect(await countDeadLetters(redis, { queue: name })).toBe(1);
    } finally {
      await consumer.close();
    }
  });
});
