/**
 * JOB_ADD_REPLICAS / `durability`: add() resolves only once replicas have the jobs. On a master
 * with a real replica (both started here): the replica has every job the moment add() resolves;
 * with the replica gone, add() throws NOT_REPLICATED after its timeout, the jobs are on the
 * master, and adding them again by id is safe.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer } from "../../test/harness/redis-server.ts";
import { ConfigError, parseConfig } from "../config.ts";
import { createRedisFromUrl, type RedisClient } from "../redis/connection.ts";
import { createQueue, NotReplicatedError, QueueError } from "./index.ts";

type Server = Awaited<ReturnType<typeof startRedisServer>>;
let master: Server;
let replica: Server;
let client: RedisClient;
let replicaClient: RedisClient;

async function synced(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await client.info("replication").catch(() => "");
    if (/connected_slaves:1/.test(info) && /slave0:.*state=online/.test(info)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the replica did not come online");
}

beforeAll(async () => {
  master = await startRedisServer();
  replica = await startRedisServer({ args: ["--replicaof", "127.0.0.1", String(master.port)] });
  client = createRedisFromUrl(master.url);
  replicaClient = createRedisFromUrl(replica.url);
  replicaClient.on("error", () => {}); // the replica is killed on purpose below
  await synced();
});

afterAll(async () => {
  client.disconnect();
  replicaClient.disconnect();
  await replica.stop();
  await master.stop();
});

const config = (overrides: Record<string, string> = {}) =>
  parseConfig({ REDIS_URL: master.url, REDIS_KEY_PREFIX: "dur", ...overrides });

/** How many WAIT commands the master has run. */
async function waitCalls(): Promise<number> {
  return Number(/cmdstat_wait:calls=(\d+)/.exec(await client.info("commandstats"))?.[1] ?? 0);
}

describe("adds that wait for replicas", () => {
  it("with JOB_ADD_REPLICAS=1 the replica has every job as soon as add() resolves", async () => {
    const q = createQueue("orders", { client, config: config({ JOB_ADD_REPLICAS: "1" }) });
    const batch = await q.addBatch(Array.from({ length: 50 }, (_, i) => ({ data: { i } })));
    const single = await q.add({ i: 50 });
    // Read from the replica right away: WAIT returned only after it acknowledged the writes.
    for (const { id } of [...batch, single]) {
      expect(await replicaClient.exists(q.ctx.keys.job(id))).toBe(1);
    }
    expect(await replicaClient.llen(q.ctx.keys.ready)).toBe(51);
  });

  it("with the replica gone, add() throws NOT_REPLICATED; the jobs are on the master and a retry by id adds nothing twice", async () => {
    const q = createQueue("invoices", {
      client,
      config: config(),
      durability: { replicas: 1, timeoutMs: 200 },
    });
    await replica.kill9();
    try {
      const waits = await waitCalls();
      const err = await q.add({ n: 1 }, { jobId: "inv-1" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotReplicatedError);
      const e = err as NotReplicatedError;
      expect(e.code).toBe("NOT_REPLICATED");
      expect([e.replicas, e.wanted]).toEqual([0, 1]);
      expect(e.results).toEqual([{ id: "inv-1", added: true }]);
      expect(await waitCalls()).toBe(waits + 1); // it asked the master to wait for the replica
      expect(await client.hget(q.ctx.keys.job("inv-1"), "payload")).toBe('{"n":1}');
    } finally {
      await replica.restart();
    }
    await synced();
    expect(await q.add({ n: 1 }, { jobId: "inv-1" })).toEqual({ id: "inv-1", added: false });
    expect(await client.llen(q.ctx.keys.ready)).toBe(1);
    expect(await replicaClient.exists(q.ctx.keys.job("inv-1"))).toBe(1);
  });

  it("WAIT is sent only when asked for (the master's answer is enough by default)", async () => {
    const waits = async () =>
      Number(/cmdstat_wait:calls=(\d+)/.exec(await client.info("commandstats"))?.[1] ?? 0);
    const plain = createQueue("plain", { client, config: config() });
    expect(plain.ctx.settings.addReplicas).toBe(0);
    const before = await waits();
    expect((await plain.add({ n: 1 })).added).toBe(true);
    expect(await waits()).toBe(before);
    const durable = createQueue("plain", { client, config: config(), durability: { replicas: 1 } });
    expect((await durable.add({ n: 2 })).added).toBe(true);
    expect(await waits()).toBe(before + 1);
  });

  it("refuses bad settings with clear errors", () => {
    expect(() => createQueue("x", { client, config: config(), durability: { replicas: -1 } })).toThrow(
      QueueError,
    );
    expect(() =>
      createQueue("x", { client, config: config(), durability: { replicas: 1, timeoutMs: 0 } }),
    ).toThrow(/timeoutMs/);
    expect(() => config({ JOB_ADD_REPLICAS: "two" })).toThrow(ConfigError);
    expect(() => config({ JOB_ADD_REPLICAS_TIMEOUT_MS: "0" })).toThrow(/JOB_ADD_REPLICAS_TIMEOUT_MS/);
  });
});
