/** The worker task that samples Redis (worker/cache-sampler.ts), run once against the suite's Redis. */
import { afterAll, expect, it } from "vitest";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { CACHE_SAMPLER_TASK, registerCacheSamplerTask } from "../../worker/cache-sampler.ts";
import { registeredTasks } from "../../worker/tasks.ts";
import { redisSeries } from "./redis-sampler.ts";

const client = testRedis();
afterAll(() => client.quit());

it("registers a task that stores this minute's Redis sample", async () => {
  registerCacheSamplerTask();
  const task = registeredTasks().find((t) => t.name === CACHE_SAMPLER_TASK);
  expect(task).toBeDefined();
  const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("w") });
  const summary = await task!.fn({ client, config, workerId: "test", signal: new AbortController().signal });
  expect(summary).toMatchObject({ usedMemory: expect.any(Number) });
  const series = await redisSeries(client, Date.now() - 60_000, Date.now(), config.REDIS_KEY_PREFIX);
  expect(series).toHaveLength(1);
});
