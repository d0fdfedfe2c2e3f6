/**
 * `npm start` as a user runs it: the embedded Redis (asked for with REDIS_EMBEDDED=true, since
 * this machine has a Redis on 6379) with append-only persistence under the data directory, whose
 * data survives a restart; the CLI finding that Redis with nothing configured; the sign-in box
 * printed every run; and a port in use stopping it with one message before anything starts.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { json, runCli } from "../test/harness/cli.ts";
import { until } from "../test/harness/fixtures.ts";
import { freePort } from "../test/harness/index.ts";

const dataDir = mkdtempSync(join(tmpdir(), "requeue-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startProduct(redisPort: number, port: number, extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const k of ["REDIS_URL", "REDIS_SENTINELS", "REDIS_CLUSTER_NODES", "ADMIN_EMAIL", "ADMIN_PASSWORD"])
    delete env[k];
  Object.assign(env, {
    REDIS_EMBEDDED: "true",
    REDIS_EMBEDDED_PORT: String(redisPort),
    REQUEUE_DATA_DIR: dataDir,
    PORT: String(port),
  });
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout?.on("data", (d) => (output += d));
  proc.stderr?.on("data", (d) => (output += d));
  return { proc, output: () => output };
}

async function waitForHealth(port: number, output: () => string, ms = 120_000): Promise<unknown> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) return res.json();
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the console did not become healthy; output:\n${output()}`);
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.once("exit", (code) => resolve(code));
    proc.kill("SIGINT");
  });
}

async function answers(port: number): Promise<boolean> {
  const c = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  c.on("error", () => {});
  try {
    await c.connect();
    return (await c.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

describe("npm start", () => {
  it("starts an embedded redis-server whose data survives a restart", async () => {
    const redisPort = await freePort();
    const port = await freePort();

    const first = startProduct(redisPort, port);
    expect(await waitForHealth(port, first.output)).toMatchObject({ status: "ok", redis: "up" });
    expect(first.output()).toContain(
      `Redis: embedded redis-server on 127.0.0.1:${redisPort} (REDIS_EMBEDDED=true)`,
    );
    expect(existsSync(join(dataDir, "redis"))).toBe(true);
    // The first run shows the generated password, once the console answers, in the box.
    const box = (await until(
      () => first.output().match(/│ sign in as (\S+) with password (\S+)/),
      60_000,
      "box",
    ))!;
    expect(first.output()).toMatch(/console: http:\/\/127\.0\.0\.1:\d+ /);
    expect(box[1]).toBe("admin@localhost");
    const client = new Redis({ port: redisPort });
    await client.set("requeue:start-test", "kept");
    client.disconnect();

    // The CLI, with nothing configured, reaches the Redis npm start chose (not the one on 6379).
    const cliEnv = { REQUEUE_DATA_DIR: dataDir, REDIS_URL: "", NODE_ENV: "production" };
    const enqueued = await runCli(["enqueue", "start-cli-test", '{"n":1}', "--json"], { env: cliEnv });
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const probe = new Redis({ port: redisPort });
    expect(await probe.sismember("rq:queues", "start-cli-test")).toBe(1);
    probe.disconnect();
    const shown = json<{ settings: Record<string, { value: string; source: string }> }>(
      await runCli(["config", "--json"], { env: cliEnv }),
    );
    expect(shown.settings.REDIS_URL).toEqual({
      value: `redis://127.0.0.1:${redisPort}`,
      source: "npm start",
    });
    expect(await stop(first.proc)).toBe(0);
    expect(await answers(redisPort)).toBe(false);
    expect(existsSync(join(dataDir, "redis.json"))).toBe(false); // stopped: the CLI no longer follows it

    const second = startProduct(redisPort, port);
    await waitForHealth(port, second.output);
    const again = new Redis({ port: redisPort });
    expect(await again.get("requeue:start-test")).toBe("kept");
    again.disconnect();
    // Later runs: where the password is kept and the command that prints it, never the password.
    await until(() => second.output().includes("print it: npm run admin-password"), 60_000, "the box");
    expect(second.output()).toContain(
      `password: generated on the first run, kept in ${dataDir}/admin-credentials.json`,
    );
    expect(second.output()).not.toContain(box[2]);
    const printed = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin-password.ts"], {
      env: { ...process.env, REQUEUE_DATA_DIR: dataDir, ADMIN_EMAIL: "", ADMIN_PASSWORD: "" },
      encoding: "utf8",
    });
    expect(printed.stdout).toContain(`sign in as admin@localhost with password ${box[2]}`);
    expect(await stop(second.proc)).toBe(0);
  }, 240_000);

  it("exits with a message saying how to get Redis when redis-server is missing", async () => {
    const redisPort = await freePort();
    const port = await freePort();
    const run = startProduct(redisPort, port, { PATH: "/nonexistent" });
    const code = await new Promise<number | null>((resolve) => run.proc.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/needs redis-server, and it is not on PATH/);
    expect(run.output()).toMatch(/apt-get install -y redis-server/);
    expect(run.output()).toMatch(/docker compose up -d redis/);
  }, 60_000);

  it("a console port in use: one message naming the port and PORT, before any console line; exit 1", async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(port, "127.0.0.1", r));
    try {
      const run = startProduct(await freePort(), port);
      const code = await new Promise<number | null>((resolve) => run.proc.once("exit", resolve));
      expect(code).toBe(1);
      expect(run.output()).toContain(
        `requeue: port ${port} on 127.0.0.1 is already in use, and it is the console's port. ` +
          `Stop what uses it, or choose another port: PORT=${port + 1} npm start`,
      );
      expect(run.output()).not.toContain("console: http");
      expect(run.output()).not.toContain("Redis: ");
    } finally {
      holder.close();
    }
  }, 60_000);

  it("refuses a weak NEXTAUTH_SECRET and a bad REDIS_URL, printing neither value", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: "redis://:hunter2-start-pw@bad host:6379",
      NEXTAUTH_SECRET: "change-me-to-a-long-random-string",
      REQUEUE_DATA_DIR: dataDir,
      PORT: String(await freePort()),
    };
    const proc = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: "pipe" });
    let output = "";
    proc.stdout?.on("data", (d) => (output += d));
    proc.stderr?.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(output).toContain("NEXTAUTH_SECRET must be");
    expect(output).toContain(
      'REDIS_URL must be a URL starting with redis:// or rediss://, got "redis://:***@bad host:6379"',
    );
    expect(output).not.toContain("hunter2");
    expect(output).not.toContain("change-me-to-a-long-random-string");
  }, 60_000);
});
