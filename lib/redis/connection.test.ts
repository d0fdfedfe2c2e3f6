import { inspect } from "node:util";
import { Cluster } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startRedisServer, testConfig, testRedis } from "../../test/harness/index.ts";
import { createRedis, createRedisFromUrl, pingRedis, reconnectDelay } from "./connection.ts";

describe("redis connection factory", () => {
  const clients: { quit(): Promise<unknown> }[] = [];
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.quit()));
  });

  it("is lazy: creating a client opens no connection", () => {
    const client = createRedisFromUrl("redis://127.0.0.1:1");
    expect(client.status).toBe("wait");
    client.disconnect();
  });

  it("connects on first command to the configured server", async () => {
    const client = testRedis();
    clients.push(client);
    expect(await client.ping()).toBe("PONG");
  });

  it("uses the password and db of the URL", async () => {
    const server = await startRedisServer({ password: "s3cret pass" });
    try {
      const client = createRedisFromUrl(`${server.url}/3`);
      await client.set("k", "v");
      expect(await (client as import("ioredis").Redis).client("INFO")).toMatch(/db=3/);
      await client.quit();
      const wrong = createRedisFromUrl(`redis://:nope@127.0.0.1:${server.port}`, { failFast: true });
      wrong.on("error", () => {});
      await expect(wrong.ping()).rejects.toThrow();
      wrong.disconnect();
    } finally {
      await server.stop();
    }
  });

  it("never puts the URL's password in an error: a bad URL, a wrong password", async () => {
    let bad: unknown;
    try {
      createRedisFromUrl("redis://:hunter2-bad-url@bad host:6379");
    } catch (err) {
      bad = err;
    }
    expect(inspect(bad)).toContain("redis://:***@bad host:6379");
    expect(inspect(bad)).not.toContain("hunter2");

    const server = await startRedisServer({ password: "right-password" });
    try {
      const wrong = createRedisFromUrl(`redis://:hunter2-wrong-pw@127.0.0.1:${server.port}`, {
        failFast: true,
      });
      const seen: unknown[] = [];
      wrong.on("error", (err) => seen.push(err));
      await wrong.ping().catch((err) => seen.push(err));
      wrong.disconnect();
      expect(seen.length).toBeGreaterThan(0);
      for (const err of seen) expect(inspect(err)).not.toContain("hunter2");
    } finally {
      await server.stop();
    }
  });

  it("reports down within the deadline when nothing answers", async () => {
    const client = createRedisFromUrl("redis://127.0.0.1:1", { failFast: true });
    client.on("error", () => {});
    expect(await pingRedis(client, 500)).toBe("down");
    client.disconnect();
  });

  it("backs off exponentially up to 5 s", () => {
    expect(reconnectDelay(0)).toBe(50);
    expect(reconnectDelay(3)).toBe(400);
    expect(reconnectDelay(50)).toBe(5000);
  });

  it("builds a cluster client when REDIS_CLUSTER_NODES is set", () => {
    const client = createRedis(testConfig({ REDIS_CLUSTER_NODES: "127.0.0.1:7000" }));
    expect(client).toBeInstanceOf(Cluster);
    client.disconnect();
  });
});

describe("redis over TLS with AUTH", () => {
  it("connects with rediss://, the password and a private CA, and refuses an untrusted certificate", async () => {
    const server = await startRedisServer({ tls: true, password: "tls-pass" });
    try {
      expect(server.url).toMatch(/^rediss:\/\//);
      const trusted = createRedis(testConfig({ REDIS_URL: server.url, REDIS_TLS_CA_FILE: server.caFile! }));
      await trusted.set("over-tls", "yes");
      expect(await trusted.get("over-tls")).toBe("yes");
      await trusted.quit();

      const untrusted = createRedis(testConfig({ REDIS_URL: server.url }), { failFast: true });
      untrusted.on("error", () => {});
      expect(await pingRedis(untrusted, 2000)).toBe("down");
      untrusted.disconnect();

      const noPassword = createRedis(
        testConfig({ REDIS_URL: `rediss://127.0.0.1:${server.port}`, REDIS_TLS_CA_FILE: server.caFile! }),
        { failFast: true },
      );
      noPassword.on("error", () => {});
      await expect(noPassword.get("over-tls")).rejects.toThrow(/NOAUTH|AUTH/);
      noPassword.disconnect();
    } finally {
      await server.stop();
    }
  });
});
