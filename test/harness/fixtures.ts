/**
 * What the library's tests share beyond a Redis: a queue or a cache on the suite's Redis under a
 * private name or prefix, and one way to wait for a condition.
 */
import { afterEach } from "vitest";
import { Cache, type CacheOptions } from "../../lib/cache/cache.ts";
import { type Config, ConfigError, parseConfig, setConfig } from "../../lib/config.ts";
import { createQueue, type Queue } from "../../lib/queue/index.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import { testConfig, testRedis, uniqueName } from "./index.ts";

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function until<T>(
  check: () => Promise<T> | T,
  timeoutMs = 5000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Gives this test file's process a key prefix of its own, through the configuration that
 * lib/dlq and lib/redis/keys.ts read (vitest runs each file in its own process); returns it.
 */
export function privatePrefix(name = "dlq"): string {
  const prefix = uniqueName(name);
  setConfig(testConfig({ REDIS_KEY_PREFIX: prefix }));
  return prefix;
}

/** A queue with a unique name on the suite's Redis; extra env settings as strings. */
export function testQueue(overrides: Record<string, string> = {}): Queue {
  const config = testConfig(overrides);
  return createQueue(uniqueName("q"), { client: testRedis(overrides), config });
}

/** Closes the queue's consumers and its client. */
export async function closeQueue(q: Queue): Promise<void> {
  await q.close(2000);
  await q.ctx.client.quit().catch(() => {});
}

/**
 * For a test file whose tests make their own queues: returns `queue(env)`, a testQueue under
 * `prefix` (extra env settings as strings), and closes every queue it made after each test.
 * Call it once, at the top of the file.
 */
export function queuesUnder(prefix: string): (env?: Record<string, string>) => Queue {
  const queues: Queue[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map(closeQueue));
  });
  return (env = {}) => {
    const q = testQueue({ REDIS_KEY_PREFIX: prefix, ...env });
    queues.push(q);
    return q;
  };
}

export { leaseJobs } from "./lease.ts";

export interface TestCache {
  cache: Cache;
  client: RedisClient;
  config: Config;
  close(): Promise<void>;
}

/**
 * A connected cache with its own prefix (so tests never share keys); extra env settings as
 * strings. The call deadline is 5 s and the breaker needs 1000 failures unless a test sets
 * them: these tests are about behaviour, not speed, and a loaded test machine (or a Cluster
 * still loading a script) must not turn a write into a (correctly) skipped one, nor open the
 * breaker for the rest of the file. lib/cache/degradation.test.ts tests the deadline and the breaker.
 */
export async function testCache(
  env: Record<string, string> = {},
  options: CacheOptions = {},
): Promise<TestCache> {
  const config = testConfig({
    REDIS_KEY_PREFIX: uniqueName("c"),
    CACHE_TIMEOUT_MS: "5000",
    CACHE_BREAKER_FAILURES: "1000",
    ...env,
  });
  const client = testRedis();
  const cache = new Cache({ client, config, ...options });
  await cache.ready(20_000);
  return {
    cache,
    client,
    config,
    async close() {
      await cache.close();
      client.disconnect();
    },
  };
}

/** A loader that counts its calls and answers `value` (or value(n) for call n). */
export function countingLoader<T>(value: T | ((n: number) => T), delayMs = 0) {
  const loader = async () => {
    loader.calls++;
    if (delayMs) await sleep(delayMs);
    return typeof value === "function" ? (value as (n: number) => T)(loader.calls) : value;
  };
  loader.calls = 0;
  return loader;
}

/** The problems parseConfig reports for an environment (none: an empty list). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
