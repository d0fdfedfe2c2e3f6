import { describe, expect, it } from "vitest";
import { configInEffect } from "./config-in-effect.ts";

describe("the configuration in effect", () => {
  const secret = "q8Zr2LmN5vX1tB7yK3pW9sD4fG6hJ0aE";
  const rows = configInEffect({
    NEXTAUTH_SECRET: secret,
    ADMIN_PASSWORD: "Tr0ub4dor&3-horse",
    REDIS_URL: "redis://:hunter2hunter2@redis.internal:6379",
    ALERT_WEBHOOK_URL: "https://hooks.example.com/services/T000/B000/XXXXSECRET",
    MAX_RETRY_ATTEMPTS: "5",
  });
  const byName = new Map(rows.map((r) => [r.name, r]));

  it("never shows a secret, a password in a URL or a webhook path", () => {
    const all = JSON.stringify(rows);
    for (const leak of [secret, "Tr0ub4dor", "hunter2", "XXXXSECRET"]) expect(all).not.toContain(leak);
    expect(byName.get("REDIS_URL")?.value).toBe("redis://:***@redis.internal:6379");
    expect(byName.get("NEXTAUTH_SECRET")?.value).toMatch(/not shown/);
  });

  it("shows set values and defaults, saying which is which", () => {
    expect(byName.get("MAX_RETRY_ATTEMPTS")).toEqual({
      name: "MAX_RETRY_ATTEMPTS",
      value: "5",
      isDefault: false,
    });
    expect(byName.get("DLQ_RETENTION_DAYS")).toMatchObject({ value: "7", isDefault: true });
    expect(byName.has("OIDC_CLIENT_SECRET")).toBe(false);
  });
});
