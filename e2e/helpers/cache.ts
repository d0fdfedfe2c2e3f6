/** An application's cache on the e2e Redis, as the specs seed and read it. */
import { expect } from "@playwright/test";
import { type Cache, createCache } from "../../lib/cache/index.ts";
import { e2eClient, e2eConfig } from "../env.ts";

/**
 * Connected before it is returned (calls before the first connection bypass Redis), with a
 * generous deadline: on a loaded machine a 50 ms one would turn seeding into bypasses.
 */
export async function e2eCache(
  opts: { stats?: boolean; env?: Record<string, string> } = {},
): Promise<{ cache: Cache; close(): Promise<void> }> {
  const client = e2eClient();
  const config = e2eConfig({ CACHE_TIMEOUT_MS: "10000", ...opts.env });
  const cache = createCache({ client, config, stats: opts.stats });
  expect(await cache.ready()).toBe(true);
  return {
    cache,
    async close() {
      await cache.close();
      await client.quit();
    },
  };
}

/** Writes every count so far (test/harness/settle-stats.ts). */
export { settleStats as settle } from "../../test/harness/settle-stats.ts";
