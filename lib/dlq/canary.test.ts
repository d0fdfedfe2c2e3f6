/**
 * Canary redrive (bulk requeue with `canary`), with a real consumer that fails some ids on a real
 * redis-server: it stops when too few of the canary succeed (the rest stays in the DLQ as it
 * was), goes on when enough do, and stops undecided when nothing runs the jobs in time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privatePrefix, until } from "../../test/harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { createQueue, type Queue } from "../queue/index.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { type BulkProgress, bulkProgress, type Clock, runBulk } from "./bulk.ts";
import { countDeadLetters } from "./count.ts";
import { listDeadLetters } from "./list.ts";

const prefix = privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

interface Doc {
  n: number;
}

/** A queue of `size` dead letters (every job failed once); `canary`: the newest `canarySize` ids. */
async function deadQueue(size: number, canarySize = 10) {
  const name = uniqueName("canary");
  const queue = createQueue(name, { client: redis, config: testConfig({ REDIS_KEY_PREFIX: prefix }) });
  await queue.addBatch(Array.from({ length: size }, (_, n) => ({ data: { n }, opts: { maxAttempts: 1 } })));
  const first = queue.process<Doc>(
    async (job) => {
      throw new Error(`doc ${job.data.n} broken`);
    },
    { concurrency: 1, pollMs: 10 },
  );
  await until(async () => (await countDeadLetters(redis, { queue: name })) === size, 15_000, "dead letters");
  await first.close();
  // the canary takes the newest first, in the list's order
  const canary = (await listDeadLetters(redis, { queue: name }, { limit: canarySize })).items.map(
    (d) => d.id,
  );
  const all = (await redis.zrange(queueKeys(name).dead, "0", "-1")) as string[];
  return { queue, name, canary, rest: all.filter((id) => !canary.includes(id)) };
}

/** A consumer that fails the jobs in `broken` ("still broken") and completes the others. */
function consumer(queue: Queue, broken: Set<string>) {
  return queue.process<Doc>(
    async (job) => {
      if (broken.has(job.id)) throw new Error(`doc ${job.data.n} still broken`);
    },
    { concurrency: 4, pollMs: 10 },
  );
}

const deadScores = async (name: string) =>
  new Map(
    (await redis.zrange(queueKeys(name).dead, "0", "-1", "WITHSCORES")).flatMap((v, i, a) =>
      i % 2 ? [] : [[v, a[i + 1]] as const],
    ),
  );

describe("canary redrive", () => {
  it("stops when fewer than minSuccess of the canary succeed, names those that failed again, and leaves the rest untouched", async () => {
    const { queue, name, canary, rest } = await deadQueue(30);
    const before = await deadScores(name);
    // half the canary is still broken (5 of 10 succeed), and so is some of the rest
    const broken = new Set([...canary.filter((_, i) => i % 2 === 0), ...rest.slice(0, 3)]);
    const c = consumer(queue, broken);
    try {
      const seen: BulkProgress[] = [];
      const p = await runBulk(
        redis,
        { action: "requeue", scope: { filter: { queue: name } }, canary: { count: 10, minSuccess: 0.9 } },
        { canaryPollMs: 20, onProgress: (x) => seen.push(x) },
      );
      expect(p.state).toBe("stopped");
      expect(p.canary?.verdict).toBe("fail");
      expect(p.done).toBe(10);
      expect(p.error).toContain("canary failed");
      expect(seen.map((x) => x.phase)).toContain("waiting");
      expect(seen.map((x) => x.phase)).not.toContain("rest");
      // enough failures to decide: more than 1 of 10 (minSuccess 0.9) failed again
      const failed = p.canary!.failed;
      expect(failed.length).toBeGreaterThan(1);
      for (const f of failed) {
        expect(canary).toContain(f.id);
        expect(broken.has(f.id)).toBe(true);
        expect(f.queue).toBe(name);
        expect(f.error?.message).toMatch(/^doc \d+ still broken$/);
      }
      // the 20 not in the canary are still dead letters, at the same dead-at time
      const after = await deadScores(name);
      expect(rest).toHaveLength(20);
      for (const id of rest) expect(after.get(id)).toBe(before.get(id));
      expect(await bulkProgress(redis, p.opId)).toMatchObject({ state: "stopped", phase: "waiting" });
    } finally {
      await c.close();
    }
  });

  it("goes on with the rest when at least minSuccess of the canary succeed", async () => {
    const { queue, name, canary, rest } = await deadQueue(30);
    // one broken job in the canary: 9 of 10 succeed, exactly 90 %; one in the rest
    const broken = new Set([canary[3], rest[5]]);
    const c = consumer(queue, broken);
    try {
      const phases: (string | undefined)[] = [];
      const p = await runBulk(
        redis,
        { action: "requeue", scope: { filter: { queue: name } }, canary: { count: 10, minSuccess: 0.9 } },
        { canaryPollMs: 20, onProgress: (x) => phases.push(x.phase) },
      );
      expect(p.state).toBe("done");
      expect(p.canary?.verdict).toBe("pass");
      expect(p.canary?.succeeded).toBeGreaterThanOrEqual(9);
      expect(p.done).toBe(30);
      expect(phases).toContain("canary");
      expect(phases).toContain("rest");
      // everything ran: only the two broken jobs end up dead again
      await until(
        async () =>
          (await redis.zrange(queueKeys(name).dead, "0", "-1")).sort().join() === [...broken].sort().join(),
        15_000,
        "the two broken jobs to be dead again",
      );
    } finally {
      await c.close();
    }
  });

  it("stops undecided when the canary's jobs are not run before the timeout, leaving the rest", async () => {
    const { name, rest } = await deadQueue(12, 4);
    const before = await deadScores(name);
    // no consumer runs: the canary stays pending; a clock that moves only when slept on
    let t = 0;
    const clock: Clock = {
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    };
    const p = await runBulk(
      redis,
      {
        action: "requeue",
        scope: { filter: { queue: name } },
        canary: { count: 4, minSuccess: 1, timeoutSeconds: 5 },
      },
      { clock, canaryPollMs: 1000 },
    );
    expect(p.state).toBe("stopped");
    expect(p.canary).toMatchObject({ verdict: "undecided", succeeded: 0, failed: [] });
    expect(p.canary?.pending).toHaveLength(4);
    expect(p.error).toContain("undecided");
    expect(await countDeadLetters(redis, { queue: name })).toBe(8);
    const after = await deadScores(name);
    for (const id of rest) expect(after.get(id)).toBe(before.get(id));
    expect(await redis.llen(queueKeys(name).ready)).toBe(4);
  });

  it("refuses a canary on delete, and a canary with a delay", async () => {
    const name = uniqueName("canary");
    await expect(
      runBulk(redis, { action: "delete", scope: { filter: { queue: name } }, canary: { count: 5 } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("canary") });
    await expect(
      runBulk(redis, {
        action: "requeue",
        scope: { filter: { queue: name } },
        delayMs: 1000,
        canary: { count: 5 },
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("canary") });
    await expect(
      runBulk(redis, { action: "requeue", scope: { filter: { queue: name } }, canary: { minSuccess: 1.5 } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("canary.minSuccess") });
  });
});
