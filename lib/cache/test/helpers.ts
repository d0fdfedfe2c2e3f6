/** Shared setup of the cache tests: a cache on the suite's Redis with a unique key prefix. */

import { testConfig, testRedis, uniqueName } from "../../../test/harness/index.ts";
import type { Config } from "../../config.ts";
import type { RedisClient } from "../../redis/connection.ts";
import { Cache, type CacheOptions } from "../cache.ts";

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
 * breaker for the rest of the file. degradation.test.ts tests the deadline and the breaker.
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
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return typeof value === "function" ? (value as (n: number) => T)(loader.calls) : value;
  };
  loader.calls = 0;
  return loader;
}
