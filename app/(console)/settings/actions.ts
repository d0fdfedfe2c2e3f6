"use server";
/**
 * Settings' mutations (admin only, through the action frame): add a user, change a role, delete
 * a user, create an API token (returned once, with an optional expiry), revoke a token. And
 * "sign out everywhere", which anyone may do for themselves and an admin for anyone. Each is
 * audited, success or not.
 */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import type { AuditNote } from "#app/_lib/audited.ts";
import { invalidateUserEntries } from "#app/_lib/ops/cache.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import {
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
  TOKEN_ROLES,
} from "#lib/auth/index.ts";

const role = z.enum(["admin", "viewer"], { error: "Choose admin or viewer" });
const tokenRole = z.enum(TOKEN_ROLES, { error: "Choose admin, viewer or producer" });

export const createUserAction = action(
  "admin",
  z.object({
    email: z.string().trim().min(3, "Enter an email").max(254),
    name: z.string().trim().max(120).optional(),
    role,
    password: z.string().min(8, "The password needs at least 8 characters").max(200).optional(),
  }),
  async (input, _p, note) => {
    const u = await createUser(consoleRedis(), input);
    note({ detail: `role ${input.role}` });
    return { email: u.email };
  },
  { audit: { action: "user.create", target: (input) => input.email } },
);

export const setRoleAction = action(
  "admin",
  z.object({ email: z.string().min(3).max(254), role }),
  async (input, _p, note) => {
    const u = await setUserRole(consoleRedis(), input.email, input.role);
    note({ detail: `role ${input.role}; ${revokedNote(u)}${await invalidateUserEntries(u.email)}` });
    return { email: u.email, role: u.role, revokedTokens: u.revokedTokens };
  },
  { audit: { action: "user.role", target: (input) => input.email } },
);

export const deleteUserAction = action(
  "admin",
  z.object({ email: z.string().min(3).max(254) }),
  async (input, _p, note) => {
    const change = await deleteUser(consoleRedis(), input.email);
    note({ detail: `${revokedNote(change)}${await invalidateUserEntries(input.email)}` });
    return { email: input.email, revokedTokens: change.revokedTokens };
  },
  { audit: { action: "user.delete", target: (input) => input.email } },
);

export const createTokenAction = action(
  "admin",
  z.object({
    name: z.string().trim().min(1, "Name the token").max(80),
    role: tokenRole,
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
  async (input, p, note) => {
    const { token, info } = await createToken(consoleRedis(), {
      name: input.name,
      role: input.role,
      createdBy: p.email ?? p.id,
      expiresInMs: expiryMs(input.expiresInDays),
    });
    note({ detail: describeToken(info) });
    return { token, id: info.id, name: info.name, role: info.role, expiresAt: info.expiresAt };
  },
  { audit: { action: "token.create", target: (input) => input.name } },
);

/**
 * "Sign out everywhere": every session of the user ends at its next request — for your own
 * account (any role; this session ends too) or, for an admin, any user's.
 */
async function signOut(email: string, note: AuditNote) {
  await endSessions(consoleRedis(), email);
  note({ detail: "every session ended" });
  return { email };
}

export const signOutEverywhereAction = action(
  "viewer",
  z.object({}),
  (_input, p, note) => signOut(p.email ?? p.id, note),
  { audit: { action: "user.signout", target: (_input, p) => p.email ?? p.id } },
);

export const signOutUserAction = action(
  "admin",
  z.object({ email: z.string().min(3).max(254) }),
  (input, _p, note) => signOut(normalizeEmail(input.email), note),
  { audit: { action: "user.signout", target: (input) => normalizeEmail(input.email) } },
);

export const revokeTokenAction = action(
  "admin",
  z.object({ id: z.string().regex(/^[a-f0-9]{12}$/) }),
  async (input) => {
    const t = await revokeToken(consoleRedis(), input.id);
    return { id: t.id, name: t.name };
  },
  { audit: { action: "token.revoke", target: (input) => input.id } },
);
