/**
 * Console users, one Redis hash each (`rq:{auth}:user:<email>`) plus the set of emails.
 *
 * Passwords are hashed with bcrypt (cost 10) before they reach Redis; the clear text is never
 * stored, returned or logged. A user without a password can sign in only through OIDC.
 * The first admin is bootstrapped from ADMIN_EMAIL / ADMIN_PASSWORD: created when no user
 * with that email exists, never overwritten, so a password changed later stays changed.
 *
 * Sessions: each user hash holds a `sessionVersion`, a random value put into the session JWT
 * at sign-in and compared on every request (app/_lib/principal.ts, in the same HGETALL that
 * reads the user). A new value — on a password change, a role change or `endSessions` ("sign
 * out everywhere") — ends every session signed in before it. Deleting the user deletes the
 * hash; a user created again under the same email gets a fresh value, so no old session
 * comes back. Deleting a user or taking away the admin role also revokes the API tokens that
 * user created (lib/auth/tokens.ts `revokeTokensCreatedBy`).
 */
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { appendAudit, recorded } from "./audit.ts";
import { revokeTokensCreatedBy } from "./tokens.ts";
import { AuthError, authKeys, isRole, type RedisClient, type Role, type StoreOptions } from "./types.ts";

export interface User {
  email: string;
  name: string;
  role: Role;
  hasPassword: boolean;
  createdAt: number;
  updatedAt: number;
}

const BCRYPT_COST = 10;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** Compared against when the account does not exist, so timing does not reveal which emails exist. */
const DUMMY_HASH = bcrypt.hashSync("requeue-no-such-user", BCRYPT_COST);

/** KEYS: user hash, users set. ARGV: email, field, value, … Returns 1 created, 0 exists. */
const CREATE_USER = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** KEYS: user hash. ARGV: new session version. Only an existing user: no half record appears. */
const BUMP_SESSIONS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'sessionVersion', ARGV[1])
return 1`;

/** Random, not a counter: a user deleted and created again must not match an old session's value. */
const newSessionVersion = () => randomBytes(12).toString("base64url");

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(h: Record<string, string>): User | null {
  if (!h.email || !isRole(h.role)) return null;
  return {
    email: h.email,
    name: h.name || h.email,
    role: h.role,
    hasPassword: Boolean(h.passwordHash),
    createdAt: Number(h.createdAt) || 0,
    updatedAt: Number(h.updatedAt) || 0,
  };
}

export async function getUser(redis: RedisClient, email: string, opts?: StoreOptions): Promise<User | null> {
  const h = await redis.hgetall(authKeys(opts).user(normalizeEmail(email)));
  return toUser(h);
}

/**
 * The user and their current session version, in one HGETALL: what every request of a session
 * costs. Users from before session versions have none (""), as have their old sessions.
 */
export async function getUserSession(
  redis: RedisClient,
  email: string,
  opts?: StoreOptions,
): Promise<{ user: User; sessionVersion: string } | null> {
  const h = await redis.hgetall(authKeys(opts).user(normalizeEmail(email)));
  const user = toUser(h);
  return user ? { user, sessionVersion: h.sessionVersion ?? "" } : null;
}

/** Ends every session of the user ("sign out everywhere"). NOT_FOUND if there is no such user. */
export async function endSessions(redis: RedisClient, email: string, opts?: StoreOptions): Promise<void> {
  const key = authKeys(opts).user(normalizeEmail(email));
  const done = await redis.eval(BUMP_SESSIONS, 1, key, newSessionVersion());
  if (done !== 1) throw new AuthError("NOT_FOUND", `no user ${normalizeEmail(email)}`);
}

export async function listUsers(redis: RedisClient, opts?: StoreOptions): Promise<User[]> {
  const keys = authKeys(opts);
  const emails = (await redis.smembers(keys.users)).sort();
  const pipeline = redis.pipeline();
  for (const e of emails) pipeline.hgetall(keys.user(e));
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([, h]) => toUser(h as Record<string, string>)).filter((u): u is User => u !== null);
}

export interface NewUser {
  email: string;
  name?: string;
  role: Role;
  /** Optional: without one the user can sign in only through OIDC. */
  password?: string;
}

export async function createUser(redis: RedisClient, input: NewUser, opts?: StoreOptions): Promise<User> {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email)) throw new AuthError("INVALID_INPUT", `"${email}" is not an email address`);
  if (!isRole(input.role)) throw new AuthError("INVALID_INPUT", "role must be admin or viewer");
  if (input.password !== undefined && input.password.length < 8)
    throw new AuthError("INVALID_INPUT", "the password needs at least 8 characters");
  const keys = authKeys(opts);
  const now = Date.now();
  const fields: Record<string, string> = {
    email,
    name: input.name?.trim() || email,
    role: input.role,
    createdAt: String(now),
    updatedAt: String(now),
    sessionVersion: newSessionVersion(),
  };
  if (input.password) fields.passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  const flat = Object.entries(fields).flat();
  const created = await redis.eval(CREATE_USER, 2, keys.user(email), keys.users, email, ...flat);
  if (created !== 1) throw new AuthError("CONFLICT", `a user ${email} already exists`);
  return toUser(fields) as User;
}

/** What a change to a user also did: how many API tokens it revoked. */
export interface UserChange {
  revokedTokens: number;
}

/** For the audit log: "2 API tokens revoked; " (empty when none were). */
export const revokedNote = (c: UserChange) =>
  c.revokedTokens ? `${c.revokedTokens} API token${c.revokedTokens === 1 ? "" : "s"} revoked; ` : "";

/** Changes the role; a real change ends the user's sessions, a demotion revokes their tokens. */
export async function setUserRole(
  redis: RedisClient,
  email: string,
  role: Role,
  opts?: StoreOptions,
): Promise<User & UserChange> {
  if (!isRole(role)) throw new AuthError("INVALID_INPUT", "role must be admin or viewer");
  const keys = authKeys(opts);
  const user = await getUser(redis, email, opts);
  if (!user) throw new AuthError("NOT_FOUND", `no user ${normalizeEmail(email)}`);
  if (user.role === role) return { ...user, revokedTokens: 0 };
  if (user.role === "admin") await assertNotLastAdmin(redis, user.email, opts);
  await redis.hset(keys.user(user.email), {
    role,
    updatedAt: String(Date.now()),
    sessionVersion: newSessionVersion(),
  });
  const revoked = user.role === "admin" ? await revokeTokensCreatedBy(redis, user.email, opts) : [];
  return { ...user, role, revokedTokens: revoked.length };
}

export async function setUserPassword(
  redis: RedisClient,
  email: string,
  password: string,
  opts?: StoreOptions,
): Promise<void> {
  if (password.length < 8) throw new AuthError("INVALID_INPUT", "the password needs at least 8 characters");
  const user = await getUser(redis, email, opts);
  if (!user) throw new AuthError("NOT_FOUND", `no user ${normalizeEmail(email)}`);
  const passwordHash = await bcrypt.hash(password, BCRYPT_COST);
  await redis.hset(authKeys(opts).user(user.email), {
    passwordHash,
    updatedAt: String(Date.now()),
    sessionVersion: newSessionVersion(),
  });
}

/** Deletes the user (their sessions end with the record) and revokes the tokens they created. */
export async function deleteUser(
  redis: RedisClient,
  email: string,
  opts?: StoreOptions,
): Promise<UserChange> {
  const keys = authKeys(opts);
  const user = await getUser(redis, email, opts);
  if (!user) throw new AuthError("NOT_FOUND", `no user ${normalizeEmail(email)}`);
  if (user.role === "admin") await assertNotLastAdmin(redis, user.email, opts);
  await redis.multi().del(keys.user(user.email)).srem(keys.users, user.email).exec();
  return { revokedTokens: (await revokeTokensCreatedBy(redis, user.email, opts)).length };
}

/** Removing or demoting the last admin would lock everyone out of Settings. */
async function assertNotLastAdmin(redis: RedisClient, email: string, opts?: StoreOptions): Promise<void> {
  const admins = (await listUsers(redis, opts)).filter((u) => u.role === "admin" && u.email !== email);
  if (admins.length === 0) throw new AuthError("CONFLICT", "this is the last admin; add another admin first");
}

/** The user when the password matches, else null. Always spends one bcrypt comparison. */
export async function verifyPassword(
  redis: RedisClient,
  email: string,
  password: string,
  opts?: StoreOptions,
): Promise<User | null> {
  const h = await redis.hgetall(authKeys(opts).user(normalizeEmail(email)));
  const ok = await bcrypt.compare(password, h.passwordHash || DUMMY_HASH);
  return ok && h.passwordHash ? toUser(h) : null;
}

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD unless that user exists. Idempotent.
 * The creation is audited as `user.bootstrap` by `system` (the console and the worker both call
 * this; only the one that created the user writes the entry).
 */
export async function bootstrapAdmin(
  redis: RedisClient,
  email: string | undefined,
  password: string | undefined,
  opts?: StoreOptions,
): Promise<"created" | "exists" | "skipped"> {
  if (!email || !password) return "skipped";
  if (await getUser(redis, email, opts)) return "exists";
  try {
    await createUser(redis, { email, password, role: "admin", name: "Administrator" }, opts);
    const note = { target: normalizeEmail(email), detail: "first admin, from ADMIN_EMAIL" };
    await recorded("user.bootstrap", appendAudit(redis, null, "user.bootstrap", note, opts));
    return "created";
  } catch (err) {
    if ((err as AuthError).code === "CONFLICT") return "exists";
    throw err;
  }
}
