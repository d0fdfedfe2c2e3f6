/**
 * `npm start`'s embedded default: with REDIS_URL unset and nothing answering, it starts a local
 * redis-server with append-only persistence under the data directory, and what was written
 * survives a restart of the whole product.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../test/harness/index.ts";

const dataDir = mkdtempSync(join(tmpdir(), "requeue-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startProduct(redisPort: number, port: number, extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const k of ["REDIS_URL", "REDIS_SENTINELS", "REDIS_CLUSTER_NODES", "ADMIN_EMAIL", "ADMIN_PASSWORD"])
    delete env[k];
  Object.assign(env, {
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
    expect(first.output()).toMatch(/started an embedded redis-server/);
    expect(existsSync(join(dataDir, "redis"))).toBe(true);
    const client = new Redis({ port: redisPort });
    await client.set("requeue:start-test", "kept");
    client.disconnect();
    expect(await stop(first.proc)).toBe(0);
    expect(await answers(redisPort)).toBe(false);

    const second = startProduct(redisPort, port);
    await waitForHealth(port, second.output);
    const again = new Redis({ port: redisPort });
    expect(await again.get("requeue:start-test")).toBe("kept");
    again.disconnect();
    expect(await stop(second.proc)).toBe(0);
  }, 240_000);

  it("exits with a message saying how to get Redis when redis-server is missing", async () => {
    const redisPort = await freePort();
    const port = await freePort();
    const run = startProduct(redisPort, port, { PATH: "/nonexistent" });
    const code = await new Promise<number | null>((resolve) => run.proc.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/redis-server is not on PATH/);
    expect(run.output()).toMatch(/apt-get install -y redis-server/);
    expect(run.output()).toMatch(/docker compose up -d redis/);
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
