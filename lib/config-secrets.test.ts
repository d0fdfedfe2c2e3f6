/**
 * Secrets in the configuration: a weak NEXTAUTH_SECRET or ADMIN_PASSWORD stops start-up, and no
 * configuration error ever prints a secret (a REDIS_URL is shown with its password replaced).
 */
import { describe, expect, it } from "vitest";
import { configProblems } from "../test/harness/fixtures.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { redactUrl } from "./config-secrets.ts";

const problems = configProblems;

/** The message of a refused environment; fails the test when it was accepted. */
function refusal(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(Object.keys(env))}`);
}

const STRONG = "Vq3m9XrT0bLw7KpZ2dYh5NfC8sGj1uEa"; // 32 characters

describe("NEXTAUTH_SECRET", () => {
  it.each([
    ["too short", "a1b2c3d4e5f6g7h8i9j0"],
    ["31 characters", STRONG.slice(0, 31)],
    ["the old docker-compose default", "change-me-to-a-long-random-string"],
    ["a change-me placeholder of any length", "CHANGE_ME_please_use_a_real_secret_here"],
    ["one character repeated", "x".repeat(40)],
    ["the word secret", "secret"],
  ])("refuses %s, naming the variable and not echoing the value", (_kind, value) => {
    const message = refusal({ NEXTAUTH_SECRET: value });
    expect(message).toContain("NEXTAUTH_SECRET must be");
    expect(message).toContain("openssl rand");
    expect(message).not.toContain(value);
  });

  it("accepts 32 random characters, and what `npm start` generates (64 hex)", () => {
    expect(parseConfig({ NEXTAUTH_SECRET: STRONG }).NEXTAUTH_SECRET).toBe(STRONG);
    const generated = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    expect(problems({ NEXTAUTH_SECRET: generated })).toEqual([]);
  });

  it("accepts the secrets the test harnesses use", async () => {
    const { E2E_SECRET } = await import("../e2e/env.ts");
    const { CONSOLE_SECRET } = await import("../test/reliability/procs.ts");
    expect(problems({ NEXTAUTH_SECRET: E2E_SECRET })).toEqual([]);
    expect(problems({ NEXTAUTH_SECRET: CONSOLE_SECRET })).toEqual([]);
  });

  it("stays optional for processes that do not sign sessions (worker, CLI)", () => {
    expect(parseConfig({}).NEXTAUTH_SECRET).toBeUndefined();
  });
});

describe("ADMIN_PASSWORD", () => {
  it.each([
    ["too short", "Xy7!kq2"],
    ["the old docker-compose default", "change-me"],
    ["a placeholder", "password1234"],
  ])("refuses %s without echoing it", (_kind, value) => {
    const message = refusal({ ADMIN_PASSWORD: value });
    expect(message).toContain("ADMIN_PASSWORD must be");
    expect(message).not.toContain(value);
  });

  it("accepts 12 characters or more, like the e2e admin's and a generated one", async () => {
    const { E2E_ADMIN } = await import("../e2e/env.ts");
    expect(problems({ ADMIN_PASSWORD: E2E_ADMIN.password })).toEqual([]);
    expect(problems({ ADMIN_PASSWORD: "q8ZkT2mW4xLp9Rv3" })).toEqual([]);
  });
});

describe("configuration errors never echo a secret", () => {
  it("shows a bad REDIS_URL with its password replaced", () => {
    const message = refusal({ REDIS_URL: "redis://:hunter2-redis-pw@bad host:6379" });
    expect(message).toContain("REDIS_URL must be");
    expect(message).toContain("redis://:***@bad host:6379");
    expect(message).not.toContain("hunter2");
  });

  it("shows a REDIS_URL with the wrong scheme and a user without its password", () => {
    const message = refusal({ REDIS_URL: "http://ops:hunter2-redis-pw@redis.internal:6379/0" });
    expect(message).toContain("http://ops:***@redis.internal:6379/0");
    expect(message).not.toContain("hunter2");
  });

  it("hides an alert webhook URL (its path is often the token)", () => {
    const message = refusal({ ALERT_WEBHOOK_URL: "ftp://hooks.example/T000/B000/XXXXsecretXXXX" });
    expect(message).toContain("ALERT_WEBHOOK_URL must be");
    expect(message).not.toContain("XXXXsecretXXXX");
  });
});

describe("redactUrl", () => {
  it.each([
    ["redis://:pw@host:6379/0", "redis://:***@host:6379/0"],
    ["rediss://user:pw@host", "rediss://user:***@host"],
    ["redis://pw-only@host", "redis://***@host"],
    ["redis://:p@ss@host", "redis://:***@host"],
    ["redis://host:6379", "redis://host:6379"],
    ["user:pw@host", "user:***@host"],
  ])("%s → %s", (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });
});
