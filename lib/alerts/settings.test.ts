import { afterAll, describe, expect, it } from "vitest";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { ALERTS } from "./definitions.ts";
import { getThresholds, getWebhook, resetThreshold, setThreshold, setWebhook } from "./settings.ts";

const client = testRedis();
afterAll(() => client.quit());

const fresh = (env: Record<string, string> = {}) =>
  testConfig({ REDIS_KEY_PREFIX: uniqueName("al"), ...env });

describe("alert thresholds", () => {
  it("start at the seed's defaults from the environment", async () => {
    const { values, overridden } = await getThresholds(client, fresh());
    expect(values).toEqual({
      dlq_size: 50,
      retry_success_rate: 0.9,
      avg_retries: 2,
      dlq_oldest_age: 24,
      dlq_near_cap: 0.8,
      cache_hit_rate: 0.7,
      redis_memory: 0.8,
      eviction_rate: 0.05,
      cache_latency: 5,
      queue_latency: 300,
    });
    expect(Object.values(overridden).every((o) => o === false)).toBe(true);
  });

  it("follow the environment when it changes a default", async () => {
    const { values } = await getThresholds(
      client,
      fresh({ ALERT_DLQ_SIZE: "7", ALERT_CACHE_HIT_RATE: "0.5" }),
    );
    expect(values.dlq_size).toBe(7);
    expect(values.cache_hit_rate).toBe(0.5);
  });

  it("store an admin's override and reset it", async () => {
    const config = fresh();
    const res = await setThreshold(client, "dlq_size", 10, config);
    expect(res).toEqual({ id: "dlq_size", value: 10, previous: 50 });
    const after = await getThresholds(client, config);
    expect(after.values.dlq_size).toBe(10);
    expect(after.overridden.dlq_size).toBe(true);
    await resetThreshold(client, "dlq_size", config);
    expect((await getThresholds(client, config)).values.dlq_size).toBe(50);
  });

  it.each([
    ["cache_hit_rate", 70, /ratio between 0 and 1/],
    ["cache_hit_rate", -0.1, /between 0 and 1/],
    ["dlq_size", 2.5, /whole number/],
    ["dlq_size", -1, /between 0 and/],
    ["cache_latency", "5", /must be a number/],
    ["avg_retries", Number.NaN, /number/],
    ["redis_memory", null, /must be a number/],
  ])("refuse %s = %s with a message that names the range", async (id, value, message) => {
    const config = fresh();
    await expect(setThreshold(client, id, value, config)).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(message),
    });
    expect(Object.values((await getThresholds(client, config)).overridden)).not.toContain(true);
  });

  it("refuse an unknown alert id as not found", async () => {
    await expect(setThreshold(client, "disk_full", 1, fresh())).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("accept the edges of every range", async () => {
    const config = fresh();
    for (const a of ALERTS) {
      await setThreshold(client, a.id, a.min, config);
      await setThreshold(client, a.id, a.max, config);
    }
    const { values } = await getThresholds(client, config);
    for (const a of ALERTS) expect(values[a.id]).toBe(a.max);
  });
});

describe("alert webhook URL", () => {
  it("is none by default and falls back to ALERT_WEBHOOK_URL", async () => {
    expect(await getWebhook(client, fresh())).toEqual({ url: null, source: "none" });
    const env = fresh({ ALERT_WEBHOOK_URL: "https://hooks.example.com/env" });
    expect(await getWebhook(client, env)).toEqual({
      url: "https://hooks.example.com/env",
      source: "environment",
    });
  });

  it("stores an http or https URL, and clearing it restores the fallback", async () => {
    const config = fresh({ ALERT_WEBHOOK_URL: "https://hooks.example.com/env" });
    expect(await setWebhook(client, " http://127.0.0.1:9/hook ", config)).toEqual({
      url: "http://127.0.0.1:9/hook",
      source: "stored",
    });
    expect(await setWebhook(client, null, config)).toEqual({
      url: "https://hooks.example.com/env",
      source: "environment",
    });
  });

  it.each(["ftp://example.com/x", "javascript:alert(1)", "not a url", "file:///etc/passwd", "http://"])(
    "refuses %s",
    async (url) => {
      const config = fresh();
      await expect(setWebhook(client, url, config)).rejects.toMatchObject({
        code: "INVALID_INPUT",
        message: expect.stringMatching(/http:\/\/ or https:\/\//),
      });
      expect((await getWebhook(client, config)).url).toBeNull();
    },
  );
});
