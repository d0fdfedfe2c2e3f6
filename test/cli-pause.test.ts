/**
 * `requeue queues pause|resume` through the real `bin/requeue.mjs` on the suite's redis-server:
 * the flag lib/queue/pause.ts reads changes, both are idempotent and audited, `stats` says
 * "(paused)", an unknown queue is exit 3 and a bad name exit 2.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { listAudit } from "../lib/auth/audit.ts";
import { createQueue } from "../lib/queue/index.ts";
import { isPaused } from "../lib/queue/pause.ts";
import { createRedis, type RedisClient } from "../lib/redis/connection.ts";
import { json, runCli } from "./harness/cli.ts";
import { testConfig, uniqueName } from "./harness/index.ts";

const prefix = uniqueName("cp");
const queue = "orders";
let client: RedisClient;
const cli = (args: string[]) =>
  runCli(args, { env: { REDIS_URL: testConfig().REDIS_URL, REDIS_KEY_PREFIX: prefix } });

beforeAll(async () => {
  const config = testConfig({ REDIS_KEY_PREFIX: prefix });
  client = createRedis(config);
  await createQueue(queue, { client, config }).add({ n: 1 });
});
afterAll(() => client?.quit());

it("pauses and resumes a queue, idempotently, with audit entries and a mark in stats", async () => {
  const paused = await cli(["queues", "pause", queue, "--json"]);
  expect(paused.code).toBe(0);
  expect(json(paused)).toMatchObject({ queue, paused: true, changed: true });
  expect(await isPaused(client, queue, { prefix })).toBe(true);

  const again = await cli(["queues", "pause", queue]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("orders was already paused: nothing changed");
  expect((await cli(["stats"])).stdout).toContain("orders (paused)");

  const resumed = await cli(["queues", "resume", queue]);
  expect([resumed.code, resumed.stdout.trim()]).toEqual([0, "resumed orders"]);
  expect(await isPaused(client, queue, { prefix })).toBe(false);

  const actions = (await listAudit(client, {}, { prefix })).entries.map((e) => [
    e.action,
    e.target,
    e.detail,
    e.via,
  ]);
  expect(actions).toEqual(
    expect.arrayContaining([
      ["queue.pause", queue, "", "cli"],
      ["queue.pause", queue, "already paused", "cli"],
      ["queue.resume", queue, "", "cli"],
    ]),
  );
});

it("an unknown queue is exit 3 and changes nothing; a bad name is exit 2; --help explains", async () => {
  const missing = await cli(["queues", "pause", "no-such-queue"]);
  expect(missing.code).toBe(3);
  expect(missing.stderr).toContain('no queue named "no-such-queue"');
  expect(await isPaused(client, "no-such-queue", { prefix })).toBe(false);
  expect((await cli(["queues", "resume", "bad{name}"])).code).toBe(2);
  const help = await cli(["queues", "pause", "--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("Usage: requeue queues pause <queue>");
  expect((await cli(["queues", "--help"])).stdout).toContain("resume");
});
