/**
 * Vitest global setup: one redis-server (or, with TEST_REDIS_CLUSTER=1, a 3-master cluster)
 * for the whole run, on free loopback ports. Tests reach it through `test/harness/index.ts`
 * and use a unique queue name or key prefix each, so they never see each other's data.
 */
import type { TestProject } from "vitest/node";
import { startCluster, startRedisServer } from "./redis-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    redisClusterNodes: { host: string; port: number }[] | null;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_REDIS_CLUSTER === "1") {
    const cluster = await startCluster(3);
    project.provide("redisUrl", `redis://127.0.0.1:${cluster.nodes[0].port}`);
    project.provide("redisClusterNodes", cluster.nodes);
    return () => cluster.stop();
  }
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  project.provide("redisClusterNodes", null);
  return () => server.stop();
}
