/**
 * What integration tests import: the suite's Redis (a server or a cluster started by the global
 * setup), clients for it, and unique names so tests never share state.
 */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { type Config, parseConfig } from "../../lib/config.ts";
import { createRedis, type RedisClient } from "../../lib/redis/connection.ts";

export { freePort, startCluster, startRedisServer } from "./redis-server.ts";

/** The configuration a test should use: defaults, the suite's Redis, and any overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const nodes = inject("redisClusterNodes");
  return parseConfig({
    REDIS_URL: inject("redisUrl"),
    REDIS_CLUSTER_NODES: nodes ? nodes.map((n) => `${n.host}:${n.port}`).join(",") : undefined,
    ...overrides,
  });
}

/** A new client for the suite's Redis; close it in afterAll/afterEach. */
export function testRedis(overrides: Record<string, string> = {}): RedisClient {
  return createRedis(testConfig(overrides));
}

/** A name no other test uses, e.g. a queue name. */
export function uniqueName(prefix = "t"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export const isCluster = () => inject("redisClusterNodes") !== null;
