/**
 * add() has a bound (JOB_ADD_TIMEOUT_MS, or `addTimeoutMs` per call): while Redis is paused
 * (SIGSTOP) or down (killed), it rejects with ADD_TIMEOUT after about that long instead of
 * waiting without end. When Redis is back, adding again with the same jobId leaves exactly one
 * job, whether or not the first add was applied late. Own redis-server: it is stopped on purpose.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRedisServer } from "../../test/harness/redis-server.ts";
import { parseConfig } from "../config.ts";
import { createRedisFromUrl, type RedisClient } from "../redis/connection.ts";
import { AddTimeoutError, createQueue, type Queue } from "./index.ts";

type Server = Awaited<ReturnType<typeof startRedisServer>>;
let server: Server;
let client: RedisClient;

beforeAll(async () => {
  server = await startRedisServer({ appendonly: true });
  client = createRedisFromUrl(server.url); // retries forever, queues commands while down
  client.on("error", () => {});
});
afterAll(async () => {
  client.disconnect();
  await server.stop();
});

const queue = (name: string, env: Record<string, string> = {}) =>
  createQueue(name, {
    client,
    config: parseConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: "at", ...env }),
  });

/** The add's outcome, or "still waiting" when it has not settled after `ms` (old code: forever). */
async function settleWithin<T>(p: Promise<T>, ms: number): Promise<{ error: unknown }> {
  const outcome = await Promise.race([
    p.then(
      () => "resolved",
      (err: unknown) => err,
    ),
    new Promise((r) => setTimeout(() => r("still waiting"), ms)),
  ]);
  return { error: outcome };
}

/** Exactly one job with this id: its hash, and its id once in ready. */
async function expectOneJob(q: Queue, id: string): Promise<void> {
  await client.ping(); // answered after every command sent before it: a late add has landed
  expect(await q.add({ again: true }, { jobId: id })).toEqual({ id, added: expect.any(Boolean) });
  expect(await q.add({ again: true }, { jobId: id })).toEqual({ id, added: false });
  expect(await client.exists(q.ctx.keys.job(id))).toBe(1);
  const ready = await client.lrange(q.ctx.keys.ready, 0, -1);
  expect(ready.filter((x) => x === id)).toEqual([id]);
}

it("Redis paused (SIGSTOP): add() rejects with ADD_TIMEOUT after JOB_ADD_TIMEOUT_MS; a retry by id makes one job", async () => {
  const q = queue("paused", { JOB_ADD_TIMEOUT_MS: "500" });
  await q.add({ warm: true }); // connected, scripts loaded, queue registered
  process.kill(server.pid ?? 0, "SIGSTOP");
  let outcome: { error: unknown };
  try {
    outcome = await settleWithin(q.add({ order: 1 }, { jobId: "order-1" }), 5000);
  } finally {
    process.kill(server.pid ?? 0, "SIGCONT");
  }
  expect(outcome.error).toBeInstanceOf(AddTimeoutError);
  const e = outcome.error as AddTimeoutError;
  expect(e.code).toBe("ADD_TIMEOUT");
  expect(e.message).toMatch(/not acknowledged within 500 ms/);
  expect(e.message).toMatch(/same jobId/);
  await expectOneJob(q, "order-1");
});

it("Redis down (killed): the per-call addTimeoutMs bounds add() and addBatch(); retries by id make one job each", async () => {
  const q = queue("down"); // JOB_ADD_TIMEOUT_MS default (5000): the per-call option wins
  await q.add({ warm: true });
  await server.kill9();
  let single: { error: unknown };
  let batch: { error: unknown };
  try {
    [single, batch] = await Promise.all([
      settleWithin(q.add({ n: 1 }, { jobId: "down-1", addTimeoutMs: 300 }), 4000),
      settleWithin(q.addBatch([{ data: { n: 2 }, opts: { jobId: "down-2" } }], { addTimeoutMs: 300 }), 4000),
    ]);
  } finally {
    await server.restart();
  }
  for (const o of [single, batch]) {
    expect((o.error as AddTimeoutError).code).toBe("ADD_TIMEOUT");
    // the per-call bound fired, not the default 5000 ms one (the test stops waiting at 4 s)
    expect((o.error as AddTimeoutError).message).toMatch(/within 300 ms/);
  }
  await expectOneJob(q, "down-1");
  await expectOneJob(q, "down-2");
});

it("JOB_ADD_TIMEOUT_MS defaults to 5000; 0 means no bound; a bad per-call value is refused before anything is sent", async () => {
  expect(parseConfig({}).JOB_ADD_TIMEOUT_MS).toBe(5000);
  expect(parseConfig({ JOB_ADD_TIMEOUT_MS: "0" }).JOB_ADD_TIMEOUT_MS).toBe(0);
  expect(() => parseConfig({ JOB_ADD_TIMEOUT_MS: "-1" })).toThrow(/JOB_ADD_TIMEOUT_MS/);
  const q = queue("options");
  await expect(q.add({}, { jobId: "bad-timeout", addTimeoutMs: -5 })).rejects.toMatchObject({
    code: "INVALID_OPTION",
  });
  expect(await client.exists(q.ctx.keys.job("bad-timeout"))).toBe(0);
});
