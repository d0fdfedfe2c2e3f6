import { describe, expect, it } from "vitest";
import { configProblems } from "../test/harness/fixtures.ts";
import { configSpec, parseConfig } from "./config.ts";

const problems = configProblems;

describe("configuration", () => {
  it("has the seed's defaults", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      MAX_RETRY_ATTEMPTS: 3,
      RETRY_BACKOFF_BASE_SECONDS: 60,
      DLQ_RETENTION_DAYS: 7,
      CACHE_ENABLED: true,
      CACHE_DEFAULT_TTL: 300,
      CACHE_USER_TTL: 900,
      CACHE_JOB_STATUS_TTL: 5,
      CACHE_DOCUMENT_TTL: 3600,
      CACHE_VECTOR_SEARCH_TTL: 1800,
      CACHE_GRAPH_TTL: 600,
      ALERT_DLQ_SIZE: 50,
      ALERT_RETRY_SUCCESS_RATE: 0.9,
      ALERT_AVG_RETRIES: 2,
      ALERT_DLQ_OLDEST_HOURS: 24,
      ALERT_CACHE_HIT_RATE: 0.7,
      ALERT_REDIS_MEMORY: 0.8,
      ALERT_EVICTION_RATE: 0.05,
      ALERT_CACHE_LATENCY_MS: 5,
      ALERT_QUEUE_LATENCY_SECONDS: 300,
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(c.REDIS_SENTINELS).toBeUndefined();
  });

  it("parses values of every kind", () => {
    const c = parseConfig({
      MAX_RETRY_ATTEMPTS: "5",
      RETRY_BACKOFF_BASE_SECONDS: "0.5",
      CACHE_ENABLED: "false",
      REDIS_URL: "rediss://:pw@redis.example:6380/2",
      REDIS_SENTINELS: "10.0.0.1:26379,10.0.0.2:26380",
      CACHE_SECRET_FIELDS: "password, pin ,",
      LOG_LEVEL: "debug",
    });
    expect(c.MAX_RETRY_ATTEMPTS).toBe(5);
    expect(c.RETRY_BACKOFF_BASE_SECONDS).toBe(0.5);
    expect(c.CACHE_ENABLED).toBe(false);
    expect(c.REDIS_SENTINELS).toEqual([
      { host: "10.0.0.1", port: 26379 },
      { host: "10.0.0.2", port: 26380 },
    ]);
    expect(c.CACHE_SECRET_FIELDS).toEqual(["password", "pin"]);
  });

  it.each([
    [
      "an integer that is a word",
      { MAX_RETRY_ATTEMPTS: "three" },
      'MAX_RETRY_ATTEMPTS must be an integer between 0 and 1000, got "three"',
    ],
    ["a negative integer", { DLQ_MAX_ENTRIES: "-1" }, 'DLQ_MAX_ENTRIES must be an integer >= 0, got "-1"'],
    [
      "a fraction where an integer is needed",
      { CACHE_USER_TTL: "1.5" },
      'CACHE_USER_TTL must be an integer >= 1, got "1.5"',
    ],
    [
      "a number out of range",
      { ALERT_CACHE_HIT_RATE: "70" },
      'ALERT_CACHE_HIT_RATE must be a number between 0 and 1, got "70"',
    ],
    [
      "a number that is not one",
      { RETRY_BACKOFF_BASE_SECONDS: "1m" },
      'RETRY_BACKOFF_BASE_SECONDS must be a number >= 0, got "1m"',
    ],
    [
      "a boolean that is not one",
      { CACHE_ENABLED: "maybe" },
      'CACHE_ENABLED must be true or false, got "maybe"',
    ],
    [
      "a URL with the wrong scheme",
      { REDIS_URL: "http://localhost:6379" },
      'REDIS_URL must be a URL starting with redis:// or rediss://, got "http://localhost:6379"',
    ],
    [
      "a URL that is not one",
      { OIDC_ISSUER: "not a url" },
      'OIDC_ISSUER must be a URL starting with http:// or https://, got "not a url"',
    ],
    [
      "a malformed host list",
      { REDIS_CLUSTER_NODES: "10.0.0.1" },
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port, e.g. "10.0.0.1:26379,10.0.0.2:26379", got "10.0.0.1"',
    ],
    [
      "a value outside an enum",
      { LOG_LEVEL: "loud" },
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
    ],
    ["a port out of range", { PORT: "70000" }, 'PORT must be an integer between 1 and 65535, got "70000"'],
    [
      "a key prefix with a brace",
      { REDIS_KEY_PREFIX: "rq{x}" },
      `REDIS_KEY_PREFIX must be letters, digits, '-' or '_' (1-32 characters), got "rq{x}"`,
    ],
  ])("refuses %s with a message naming the variable, value and expectation", (_kind, env, message) => {
    expect(problems(env as Record<string, string>)).toEqual([message]);
  });

  it("refuses Sentinel and Cluster together", () => {
    expect(problems({ REDIS_SENTINELS: "a:1", REDIS_CLUSTER_NODES: "b:2" })[0]).toMatch(
      /must not both be set/,
    );
  });

  it("lists every bad variable at once", () => {
    const p = problems({ MAX_RETRY_ATTEMPTS: "x", CACHE_ENABLED: "y" });
    expect(p).toHaveLength(2);
  });

  it("treats an empty value as unset", () => {
    expect(parseConfig({ MAX_RETRY_ATTEMPTS: "" }).MAX_RETRY_ATTEMPTS).toBe(3);
  });

  it("documents every variable in .env.example", async () => {
    const { readFileSync } = await import("node:fs");
    const example = readFileSync(".env.example", "utf8");
    const missing = Object.keys(configSpec).filter(
      (name) => !new RegExp(`^#?\\s*${name}=`, "m").test(example),
    );
    expect(missing).toEqual([]);
  });
});
