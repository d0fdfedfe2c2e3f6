/**
 * lib/auth against a real Redis: API token expiry, tokens revoked with the user who created them
 * (delete, demotion — and the tokens those tokens created), and the per-user session version
 * that ends sessions on a password change, a role change, a delete and "sign out everywhere".
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import {
  createToken,
  createUser,
  deleteUser,
  endSessions,
  getUserSession,
  isTokenExpired,
  listTokens,
  setUserPassword,
  setUserRole,
  verifyToken,
} from "./index.ts";

const redis = testRedis();
afterAll(() => redis.quit());
afterEach(() => vi.useRealTimers());
const store = () => ({ prefix: uniqueName("sessions") });
const HOUR = 3_600_000;

describe("API token expiry", () => {
  it("verifies until the expiry, then refuses; the listing keeps it, marked", async () => {
    const opts = store();
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const { token, info } = await createToken(
      redis,
      { name: "ci", role: "admin", createdBy: "a@x.io", expiresInMs: HOUR },
      opts,
    );
    expect(info.expiresAt).toBe(start + HOUR);
    expect(await verifyToken(redis, token, opts)).toMatchObject({ id: info.id, expiresAt: start + HOUR });

    vi.setSystemTime(start + HOUR - 1);
    expect(await verifyToken(redis, token, opts)).not.toBeNull();
    vi.setSystemTime(start + HOUR);
    expect(await verifyToken(redis, token, opts)).toBeNull();

    const [listed] = await listTokens(redis, opts);
    expect(listed).toMatchObject({ id: info.id, expiresAt: start + HOUR });
    expect(isTokenExpired(listed)).toBe(true);
  });

  it("never expires without a lifetime, and refuses a lifetime out of bounds", async () => {
    const opts = store();
    const { token, info } = await createToken(
      redis,
      { name: "forever", role: "viewer", createdBy: "a" },
      opts,
    );
    expect(info.expiresAt).toBeNull();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 20 * 365 * 24 * HOUR });
    expect(await verifyToken(redis, token, opts)).not.toBeNull();
    for (const expiresInMs of [0, -HOUR, Number.NaN, 3651 * 24 * HOUR]) {
      await expect(
        createToken(redis, { name: "bad", role: "viewer", createdBy: "a", expiresInMs }, opts),
      ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    }
    expect(await listTokens(redis, opts)).toHaveLength(1);
  });
});

/** Two admins (so either may go) and tokens: two by ann, one made by ann's token, one by bob. */
async function team() {
  const opts = store();
  await createUser(redis, { email: "ann@x.io", password: "password-1", role: "admin" }, opts);
  await createUser(redis, { email: "bob@x.io", password: "password-2", role: "admin" }, opts);
  const make = (name: string, createdBy: string) =>
    createToken(redis, { name, role: "admin", createdBy }, opts);
  const ann1 = await make("ann-1", "ann@x.io");
  const ann2 = await make("ann-2", "ann@x.io");
  const child = await make("made-by-ann-1", `token:${ann1.info.id}`);
  const bob = await make("bob", "bob@x.io");
  const cli = await make("cli", "cli:root");
  const alive = async () =>
    (
      await Promise.all(
        [ann1, ann2, child, bob, cli].map(async (t) =>
          (await verifyToken(redis, t.token, opts)) ? t.info.name : null,
        ),
      )
    ).filter(Boolean);
  return { opts, alive };
}

describe("tokens go with the rights of who created them", () => {
  it("deleting a user revokes the tokens they created, and those their tokens created", async () => {
    const { opts, alive } = await team();
    expect(await alive()).toEqual(["ann-1", "ann-2", "made-by-ann-1", "bob", "cli"]);
    expect(await deleteUser(redis, "ann@x.io", opts)).toEqual({ revokedTokens: 3 });
    expect(await alive()).toEqual(["bob", "cli"]);
    expect((await listTokens(redis, opts)).map((t) => t.name).sort()).toEqual(["bob", "cli"]);
  });

  it("losing the admin role revokes them; gaining it or keeping it does not", async () => {
    const { opts, alive } = await team();
    expect(await setUserRole(redis, "ann@x.io", "admin", opts)).toMatchObject({ revokedTokens: 0 });
    expect(await alive()).toHaveLength(5);
    expect(await setUserRole(redis, "ann@x.io", "viewer", opts)).toMatchObject({
      role: "viewer",
      revokedTokens: 3,
    });
    expect(await alive()).toEqual(["bob", "cli"]);
    expect(await setUserRole(redis, "ann@x.io", "admin", opts)).toMatchObject({ revokedTokens: 0 });
    expect(await alive()).toEqual(["bob", "cli"]);
  });
});

describe("session version", () => {
  const version = async (email: string, opts: { prefix: string }) =>
    (await getUserSession(redis, email, opts))?.sessionVersion;

  it("is set at creation and changes on a password change, a role change and endSessions", async () => {
    const opts = store();
    await createUser(redis, { email: "ann@x.io", password: "password-1", role: "admin" }, opts);
    await createUser(redis, { email: "bob@x.io", password: "password-2", role: "admin" }, opts);
    const seen = [await version("ann@x.io", opts)];
    expect(seen[0]).toMatch(/^[\w-]{16}$/);
    expect((await getUserSession(redis, "ANN@x.io", opts))?.user).toMatchObject({ email: "ann@x.io" });

    await setUserPassword(redis, "ann@x.io", "password-new", opts);
    seen.push(await version("ann@x.io", opts));
    await setUserRole(redis, "ann@x.io", "admin", opts); // no change: sessions stay
    expect(await version("ann@x.io", opts)).toBe(seen[1]);
    await setUserRole(redis, "ann@x.io", "viewer", opts);
    seen.push(await version("ann@x.io", opts));
    await setUserRole(redis, "ann@x.io", "admin", opts);
    seen.push(await version("ann@x.io", opts));
    await endSessions(redis, "ann@x.io", opts);
    seen.push(await version("ann@x.io", opts));
    expect(new Set(seen).size).toBe(5);

    const bob = await version("bob@x.io", opts);
    expect(bob).not.toBe(seen[0]); // per user
    await endSessions(redis, "ann@x.io", opts);
    expect(await version("bob@x.io", opts)).toBe(bob);
  });

  it("does not come back when a deleted user is created again; endSessions needs a user", async () => {
    const opts = store();
    await createUser(redis, { email: "ann@x.io", password: "password-1", role: "viewer" }, opts);
    const before = await version("ann@x.io", opts);
    await deleteUser(redis, "ann@x.io", opts);
    expect(await getUserSession(redis, "ann@x.io", opts)).toBeNull();
    await createUser(redis, { email: "ann@x.io", password: "password-1", role: "viewer" }, opts);
    expect(await version("ann@x.io", opts)).not.toBe(before);

    await expect(endSessions(redis, "nobody@x.io", opts)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await redis.exists(`${opts.prefix}:{auth}:user:nobody@x.io`)).toBe(0);
  });

  it("reads as empty for a user stored before session versions", async () => {
    const opts = store();
    await redis.hset(`${opts.prefix}:{auth}:user:old@x.io`, { email: "old@x.io", role: "viewer" });
    expect(await getUserSession(redis, "old@x.io", opts)).toMatchObject({ sessionVersion: "" });
  });
});
