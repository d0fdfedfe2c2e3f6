"use server";
/**
 * Settings' mutations (admin only, through the action frame): add a user, change a role, delete
 * a user, create an API token (returned once, with an optional expiry), revoke a token. And
 * "sign out everywhere", which anyone may do for themselves and an admin for anyone. Each is
 * audited, success or not.
 */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { invalidateUserEntries } from "#app/_lib/ops/cache.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import type { Principal } from "#app/_lib/principal.ts";
import {
  audit,
  createToken,
  createUser,
  deleteUser,
  describeToken,
  endSessions,
  expiryMs,
  normalizeEmail,
  revokedNote,
  revokeToken,
  setUserRole,
} from "#lib/auth/index.ts";

const role = z.enum(["admin", "viewer"], { error: "Choose admin or viewer" });

/**
 * Runs a mutation and audits it either way; errors still reach the action frame. `detail` may be
 * worked out from the result (what a follow-up step did).
 */
async function audited<T>(
  p: Principal,
  name: string,
  target: string,
  fn: () => Promise<T>,
  detail: string | ((result: T) => Promise<string>) = "",
): Promise<T> {
  try {
    const result = await fn();
    await audit(p, name, { target, detail: typeof detail === "string" ? detail : await detail(result) });
    return result;
  } catch (err) {
    await audit(p, name, { target, outcome: "error", detail: (err as Error).message });
    throw err;
  }
}

export const createUserAction = action(
  "admin",
  z.object({
    email: z.string().trim().min(3, "Enter an email").max(254),
    name: z.string().trim().max(120).optional(),
    role,
    password: z.string().min(8, "The password needs at least 8 characters").max(200).optional(),
  }),
  async (input, p) =>
    audited(
      p,
      "user.create",
      input.email,
      () => createUser(consoleRedis(), input),
      `role ${input.role}`,
    ).then((u) => ({
      email: u.email,
    })),
);

export const setRoleAction = action(
  "admin",
  z.object({ email: z.string().min(3).max(254), role }),
  async (input, p) =>
    audited(
      p,
      "user.role",
      input.email,
      () => setUserRole(consoleRedis(), input.email, input.role),
      async (u) => `role ${input.role}; ${revokedNote(u)}${await invalidateUserEntries(u.email)}`,
    ).then((u) => ({ email: u.email, role: u.role, revokedTokens: u.revokedTokens })),
);

export const deleteUserAction = action(
  "admin",
  z.object({ email: z.string().min(3).max(254) }),
  async (input, p) =>
    audited(
      p,
      "user.delete",
      input.email,
      () => deleteUser(consoleRedis(), input.email),
      async (change) => `${revokedNote(change)}${await invalidateUserEntries(input.email)}`,
    ).then((change) => ({ email: input.email, revokedTokens: change.revokedTokens })),
);

export const createTokenAction = action(
  "admin",
  z.object({
    name: z.string().trim().min(1, "Name the token").max(80),
    role,
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
  async (input, p) => {
    const { token, info } = await audited(
      p,
      "token.create",
      input.name,
      () =>
        createToken(consoleRedis(), {
          name: input.name,
          role: input.role,
          createdBy: p.email ?? p.id,
          expiresInMs: expiryMs(input.expiresInDays),
        }),
      (created) => Promise.resolve(describeToken(created.info)),
    );
    return { token, id: info.id, name: info.name, role: info.role, expiresAt: info.expiresAt };
  },
);

/**
 * "Sign out everywhere": every session of the user ends at its next request — for your own
 * account (any role; this session ends too) or, for an admin, any user's.
 */
const signOutEverywhere = (p: Principal, email: string) =>
  audited(p, "user.signout", email, () => endSessions(consoleRedis(), email), "every session ended").then(
    () => ({
      email,
    }),
  );

export const signOutEverywhereAction = action("viewer", z.object({}), async (_input, p) =>
  signOutEverywhere(p, p.email ?? p.id),
);

export const signOutUserAction = action(
  "admin",
  z.object({ email: z.string().min(3).max(254) }),
  async (input, p) => signOutEverywhere(p, normalizeEmail(input.email)),
);

export const revokeTokenAction = action(
  "admin",
  z.object({ id: z.string().regex(/^[a-f0-9]{12}$/) }),
  async (input, p) =>
    audited(p, "token.revoke", input.id, () => revokeToken(consoleRedis(), input.id)).then((t) => ({
      id: t.id,
      name: t.name,
    })),
);
