/**
 * lib/auth against a real Redis: passwords never stored in clear, users and roles, API tokens
 * (create, verify, revoke, last used), the audit log (masking: mask.test.ts; sign-in: signin.test.ts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import {
  appendAudit,
  bootstrapAdmin,
  createToken,
  createUser,
  deleteUser,
  getUser,
  hashToken,
  listAudit,
  listTokens,
  listUsers,
  revokeToken,
  setUserRole,
  verifyPassword,
  verifyToken,
} from "./index.ts";

const redis = testRedis();
afterAll(() => redis.quit());
const store = () => ({ prefix: uniqueName("auth") });

describe("users", () => {
  it("stores a bcrypt hash, never the password", async () => {
    const opts = store();
    const password = "correct horse battery staple";
    await createUser(redis, { email: "Ann@Example.com", password, role: "viewer" }, opts);
    const keys = await redis.keys(`${opts.prefix}:*`);
    for (const key of keys) {
      const type = await redis.type(key);
      const dump =
        type === "hash"
          ? JSON.stringify(await redis.hgetall(key))
          : JSON.stringify(await redis.smembers(key));
      expect(dump).not.toContain(password);
    }
    const raw = await redis.hgetall(`${opts.prefix}:{auth}:user:ann@example.com`);
    expect(raw.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(await verifyPassword(redis, "ann@example.com", password, opts)).toMatchObject({ role: "viewer" });
    expect(await verifyPassword(redis, "ann@example.com", "wrong password", opts)).toBeNull();
    expect(await verifyPassword(redis, "nobody@example.com", password, opts)).toBeNull();
  });

  it("creates, lists, changes role and deletes; refuses duplicates and the last admin", async () => {
    const opts = store();
    await createUser(redis, { email: "a@x.io", password: "password-1", role: "admin" }, opts);
    await createUser(redis, { email: "v@x.io", password: "password-2", role: "viewer" }, opts);
    await expect(
      createUser(redis, { email: "a@x.io", password: "password-3", role: "viewer" }, opts),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await listUsers(redis, opts)).map((u) => u.email)).toEqual(["a@x.io", "v@x.io"]);
    await expect(setUserRole(redis, "a@x.io", "viewer", opts)).rejects.toMatchObject({ code: "CONFLICT" });
    await setUserRole(redis, "v@x.io", "admin", opts);
    await setUserRole(redis, "a@x.io", "viewer", opts);
    expect((await getUser(redis, "a@x.io", opts))?.role).toBe("viewer");
    await deleteUser(redis, "a@x.io", opts);
    expect(await getUser(redis, "a@x.io", opts)).toBeNull();
    await expect(deleteUser(redis, "v@x.io", opts)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createUser(redis, { email: "bad", role: "viewer" }, opts)).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });

  it("bootstraps the first admin once and never overwrites it", async () => {
    const opts = store();
    expect(await bootstrapAdmin(redis, "root@x.io", "first-password", opts)).toBe("created");
    expect(await bootstrapAdmin(redis, "root@x.io", "other-password", opts)).toBe("exists");
    expect(await verifyPassword(redis, "root@x.io", "first-password", opts)).toMatchObject({ role: "admin" });
    expect(await bootstrapAdmin(redis, undefined, undefined, opts)).toBe("skipped");
  });
});

describe("API tokens", () => {
  it("are shown once, stored as SHA-256, verified, and revoked", async () => {
    const opts = store();
    const { token, info } = await createToken(
      redis,
      { name: "ci", role: "viewer", createdBy: "a@x.io" },
      opts,
    );
    expect(token).toMatch(/^rq_[a-f0-9]{12}_/);
    const stored = await redis.hgetall(`${opts.prefix}:{auth}:token:${hashToken(token)}`);
    expect(stored.id).toBe(info.id);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(await redis.hgetall(`${opts.prefix}:{auth}:tokens`))).not.toContain(token);

    expect(await verifyToken(redis, token, opts)).toMatchObject({ id: info.id, role: "viewer", name: "ci" });
    expect((await listTokens(redis, opts))[0].lastUsedAt).toBeGreaterThan(0);
    expect(await verifyToken(redis, `${token}x`, opts)).toBeNull();
    expect(await verifyToken(redis, "not a token", opts)).toBeNull();

    await revokeToken(redis, info.id, opts);
    expect(await verifyToken(redis, token, opts)).toBeNull();
    expect(await listTokens(redis, opts)).toEqual([]);
    await expect(revokeToken(redis, info.id, opts)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("may be producers (no user may); no other role is stored", async () => {
    const opts = store();
    const { token } = await createToken(redis, { name: "svc", role: "producer", createdBy: "a@x.io" }, opts);
    expect(await verifyToken(redis, token, opts)).toMatchObject({ role: "producer" });
    const bad = { name: "x", role: "root" as "viewer", createdBy: "a@x.io" };
    await expect(createToken(redis, bad, opts)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      createUser(redis, { email: "p@x.io", role: "producer" as "viewer", password: "long-enough-1" }, opts),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("audit log", () => {
  it("appends, lists newest first, filters and pages with a cursor", async () => {
    const opts = store();
    const admin = { id: "a@x.io", email: "a@x.io", role: "admin", via: "session", ip: "10.1.1.1" };
    await appendAudit(redis, admin, "dlq.requeue", { target: "documents", count: 3 }, opts);
    await appendAudit(redis, admin, "dlq.delete", { target: "audio", count: 1 }, opts);
    await appendAudit(
      redis,
      null,
      "signin.failed",
      { target: "eve@x.io", outcome: "denied", ip: "10.6.6.6" },
      opts,
    );
    await appendAudit(
      redis,
      admin,
      "cache.flush",
      { target: "user", outcome: "error", detail: "timeout" },
      opts,
    );

    const all = await listAudit(redis, {}, opts);
    expect(all.entries.map((e) => e.action)).toEqual([
      "cache.flush",
      "signin.failed",
      "dlq.delete",
      "dlq.requeue",
    ]);
    expect(all.entries[3]).toMatchObject({
      actor: "a@x.io",
      role: "admin",
      target: "documents",
      count: 3,
      outcome: "ok",
      ip: "10.1.1.1",
    });
    expect(all.entries[1]).toMatchObject({ actor: "system", outcome: "denied", ip: "10.6.6.6" });

    expect((await listAudit(redis, { action: "dlq" }, opts)).entries.map((e) => e.action)).toEqual([
      "dlq.delete",
      "dlq.requeue",
    ]);
    expect((await listAudit(redis, { outcome: "denied" }, opts)).entries).toHaveLength(1);
    expect((await listAudit(redis, { target: "aud" }, opts)).entries[0].action).toBe("dlq.delete");
    expect((await listAudit(redis, { actor: "A@X" }, opts)).entries).toHaveLength(3);

    const page1 = await listAudit(redis, { limit: 2 }, opts);
    expect(page1.entries).toHaveLength(2);
    const page2 = await listAudit(redis, { limit: 2, cursor: page1.nextCursor ?? "" }, opts);
    expect(page2.entries.map((e) => e.action)).toEqual(["dlq.delete", "dlq.requeue"]);
  });

  it("stays bounded by its cap", async () => {
    const opts = store();
    for (let i = 0; i < 1500; i++) await appendAudit(redis, null, "x", { count: i }, { ...opts, cap: 100 });
    const len = await redis.xlen(`${opts.prefix}:{auth}:audit`);
    expect(len).toBeGreaterThanOrEqual(100);
    expect(len).toBeLessThan(300);
  });
});
