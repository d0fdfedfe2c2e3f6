/** The harness itself: servers survive kill -9 on their append-only file; clusters form. */
import { Cluster, Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { createRedis } from "../../lib/redis/connection.ts";
import { startCluster, startRedisServer } from "./redis-server.ts";

describe("test harness", () => {
  it("kill -9 and restart keep what the append-only file holds", async () => {
    const server = await startRedisServer({ appendonly: true });
    try {
      const client = new Redis(server.url);
      await client.set("survives", "yes");
      client.disconnect();
      const before = server.pid;
      await server.kill9();
      await server.restart();
      expect(server.pid).not.toBe(before);
      const again = new Redis(server.url);
      expect(await again.get("survives")).toBe("yes");
      again.disconnect();
    } finally {
      await server.stop();
    }
  });

  it("starts a 3-master cluster that serves keys across slots", async () => {
    const cluster = await startCluster(3);
    try {
      expect(cluster.masters).toHaveLength(3);
      const nodes = cluster.nodes.map((n) => `${n.host}:${n.port}`).join(",");
      const client = createRedis(parseConfig({ REDIS_CLUSTER_NODES: nodes }));
      expect(client).toBeInstanceOf(Cluster);
      for (const key of ["a", "b", "c", "{q1}x", "{q2}y"]) await client.set(key, key);
      expect(await client.get("{q2}y")).toBe("{q2}y");
      const slots = await (client as Cluster).cluster("SLOTS");
      expect((slots as unknown[]).length).toBe(3);
      await client.quit();
    } finally {
      await cluster.stop();
    }
  });
});
