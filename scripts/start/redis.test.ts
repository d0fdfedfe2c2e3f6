/**
 * `npm start` says which Redis it chose and why, and whose it looks like — each case on a real
 * redis-server of this file's own (the suite's shared one is never empty), none of them 6379.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "#lib/config.ts";
import { freePort, type RedisServer, startRedisServer } from "../../test/harness/redis-server.ts";
import { chooseRedis, describeRedis } from "./redis.ts";

let server: RedisServer;
let client: Redis;
const dataDir = mkdtempSync(join(tmpdir(), "requeue-choose-"));

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url);
});
afterAll(async () => {
  client.disconnect();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await client.flushall();
});

/** Runs the choice as `npm start` would with this environment; returns what it said. */
async function choose(env: Record<string, string>, opts: { argv?: string[]; localUrl?: string } = {}) {
  const lines: string[] = [];
  const say = (l: string) => lines.push(l);
  const full = { REQUEUE_DATA_DIR: dataDir, ...env };
  const config = parseConfig(full);
  const chosen = await chooseRedis(config, full, opts.argv ?? [], {
    localUrl: opts.localUrl ?? server.url,
    say,
  });
  await describeRedis({ ...config, REDIS_URL: chosen.url }, chosen, say);
  return { chosen, said: lines.join("\n") };
}

describe("which Redis npm start chooses, and what it says", () => {
  it("REDIS_URL set: that one, because REDIS_URL is set (password hidden)", async () => {
    const { chosen, said } = await choose({ REDIS_URL: server.url });
    expect(chosen).toMatchObject({ url: server.url, reason: "configured" });
    expect(said).toContain(`Redis: ${server.url} (REDIS_URL is set)`);
    expect(said).toContain("Redis is empty");
  });

  it("nothing configured and a Redis answers on the local port: that one, saying so", async () => {
    const { chosen, said } = await choose({});
    expect(chosen).toMatchObject({ url: server.url, reason: "local" });
    expect(said).toContain(`(REDIS_URL is unset and a Redis answers on 127.0.0.1:${server.port})`);
  });

  it("a Redis with Requeue's keys is recognised as Requeue's", async () => {
    await client.sadd("rq:queues", "documents");
    const { said } = await choose({});
    expect(said).toMatch(/Redis holds Requeue's data \(1 queues, keys rq:\*/);
    expect(said).not.toContain("warning");
  });

  it("a Redis with someone else's keys: a warning that says how to pick the embedded Redis", async () => {
    await client.mset("session:1", "a", "cart:2", "b");
    const { said } = await choose({});
    expect(said).toContain("warning: this Redis holds 2 keys and none of Requeue's (rq:*)");
    expect(said).toContain("REDIS_EMBEDDED=true npm start (or npm start -- --embedded-redis)");
  });

  it("REDIS_EMBEDDED=false and nothing answers: an error naming REDIS_URL", async () => {
    const nothing = `redis://127.0.0.1:${await freePort()}`;
    await expect(choose({ REDIS_EMBEDDED: "false" }, { localUrl: nothing })).rejects.toThrow(
      /nothing answers on 127\.0\.0\.1:\d+ and REDIS_EMBEDDED=false: set REDIS_URL/,
    );
  });

  it.for([
    ["nothing answers locally", {}, [], "(REDIS_URL is unset and nothing answers on 127.0.0.1:"],
    ["asked with REDIS_EMBEDDED=true", { REDIS_EMBEDDED: "true" }, [], "(REDIS_EMBEDDED=true)"],
    ["asked with --embedded-redis", {}, ["--embedded-redis"], "(--embedded-redis)"],
  ] as [string, Record<string, string>, string[], string][])(
    "the embedded Redis when %s",
    async ([, env, argv, why]) => {
      const port = await freePort();
      const nothing = `redis://127.0.0.1:${await freePort()}`;
      const localUrl = Object.keys(env).length || argv.length ? server.url : nothing;
      const { chosen, said } = await choose(
        { ...env, REDIS_EMBEDDED_PORT: String(port) },
        { argv, localUrl },
      );
      try {
        expect(chosen).toMatchObject({ url: `redis://127.0.0.1:${port}`, reason: "embedded" });
        expect(said).toContain(`Redis: embedded redis-server on 127.0.0.1:${port} ${why}`);
        expect(said).toContain(`data in ${join(dataDir, "redis")}`);
      } finally {
        chosen.proc?.kill("SIGKILL");
      }
    },
  );

  it("the embedded Redis's port in use: an error naming the port and REDIS_EMBEDDED_PORT", async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(port, "127.0.0.1", r));
    try {
      await expect(choose({ REDIS_EMBEDDED: "true", REDIS_EMBEDDED_PORT: String(port) })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use, and it is the embedded Redis's port. ` +
          `Stop what uses it, or choose another port: REDIS_EMBEDDED_PORT=${port + 1} npm start`,
      );
    } finally {
      holder.close();
    }
  });
});
