/**
 * One .env, read the same way by every process: an alert threshold written in a project's .env
 * is the threshold the console's configuration shows, the CLI reports and the worker judges by;
 * a variable set in the environment wins over the files, and .env.local over .env (Next.js's rule).
 * Each process is the real program, started in a project directory of its own.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { json, runCli } from "./harness/cli.ts";
import { seedDeadLetters } from "./harness/dead-letters.ts";
import { privatePrefix } from "./harness/fixtures.ts";
import { testRedis, uniqueName } from "./harness/index.ts";

const ROOT = join(import.meta.dirname, "..");
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const project = mkdtempSync(join(tmpdir(), "requeue-dotenv-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

beforeAll(() => {
  writeFileSync(
    join(project, ".env"),
    "ALERT_DLQ_SIZE=7\nALERT_AVG_RETRIES=5\nALERT_WINDOW_MINUTES=20\nALERT_EVALUATE_INTERVAL_MS=200\n",
  );
  writeFileSync(join(project, ".env.local"), "ALERT_WINDOW_MINUTES=30\n");
});

/** The environment of a process started in `project`: the real one wins over its .env files. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // As `next start` runs: production mode (.env.local counts); vitest's NODE_ENV=test would not.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", ...extra };
  for (const k of Object.keys(env)) if (/^ALERT_/.test(k) && !(k in extra)) delete env[k];
  return env;
}

/** Runs a TypeScript program in `project` until it exits or `done(output)` says enough. */
function runProgram(file: string, env: NodeJS.ProcessEnv, done: (out: string) => boolean = () => false) {
  const child = spawn(process.execPath, [TSX, join(ROOT, file)], { cwd: project, env, stdio: "pipe" });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} did not finish:\n${out}`));
    }, 60_000);
    const finish = () => {
      clearTimeout(timer);
      resolve(out);
    };
    child.stdout.on("data", () => {
      if (done(out)) {
        child.once("exit", finish);
        child.kill("SIGTERM");
      }
    });
    child.on("exit", finish);
  });
}

const expected = { ALERT_DLQ_SIZE: 7, ALERT_AVG_RETRIES: 3, ALERT_WINDOW_MINUTES: 30 };

describe("the same .env, read the same way by every process", () => {
  it("the console's configuration: .env, .env.local over .env, the environment over both", async () => {
    const env = environment({
      ALERT_AVG_RETRIES: "3",
      NEXTAUTH_SECRET: "a-test-secret-that-is-long-enough-0123456789",
    });
    const out = await runProgram("test/harness/print-console-config.ts", env);
    expect(JSON.parse(out)).toMatchObject(expected);
  });

  it("the CLI: `requeue config` shows the same values and where each came from", async () => {
    const r = await runCli(["config", "--json"], {
      cwd: project,
      env: environment({ ALERT_AVG_RETRIES: "3", REDIS_URL: inject("redisUrl") }) as Record<string, string>,
    });
    expect(r.code, r.stderr).toBe(0);
    const { envFiles, settings } = json<{
      envFiles: string[];
      settings: Record<string, { value: unknown; source: string }>;
    }>(r);
    expect(envFiles).toEqual([".env.local", ".env"]);
    expect(settings.ALERT_DLQ_SIZE).toEqual({ value: 7, source: ".env file" });
    expect(settings.ALERT_AVG_RETRIES).toEqual({ value: 3, source: "environment" });
    expect(settings.ALERT_WINDOW_MINUTES).toEqual({ value: 30, source: ".env file" });
    expect(settings.ALERT_CACHE_HIT_RATE).toEqual({ value: 0.7, source: "default" });
  });

  it.for([
    ["the .env's threshold", {}, "7"],
    ["the environment's threshold over the .env's", { ALERT_DLQ_SIZE: "9" }, "9"],
  ] as [string, Record<string, string>, string][])(
    "the worker judges the DLQ size by %s",
    async ([, extra, threshold]) => {
      const prefix = privatePrefix("dotenv");
      const client = testRedis();
      await seedDeadLetters(
        client,
        uniqueName("q"),
        Array.from({ length: 10 }, () => ({})),
      );
      client.disconnect();
      const env = environment({ ...extra, REDIS_URL: inject("redisUrl"), REDIS_KEY_PREFIX: prefix });
      const firing = new RegExp(`\\[alerts\\] DLQ size: \\w+ -> firing \\(10, threshold > ${threshold};`);
      const out = await runProgram("worker/main.ts", env, (o) => firing.test(o));
      expect(out).toMatch(firing);
      expect(out).toContain("[worker] settings from .env.local, .env too");
    },
  );
});
