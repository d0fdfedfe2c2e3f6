/**
 * API tokens for scripts: `Authorization: Bearer rq_<id>_<secret>`.
 *
 * The token is shown once, at creation; Redis keeps only its SHA-256 (`rq:{auth}:token:<sha>`),
 * so a dump of Redis yields no usable token. Verifying is one HGETALL by hash; the last-used
 * time is written at most once a minute per token, so busy scripts cost no extra writes.
 * Revoking deletes the hash: the next request with that token gets 401.
 *
 * A token may carry an expiry (`expiresAt`, ms epoch): from then on it verifies as null, like a
 * revoked one, but stays listed (marked expired) until an admin revokes it. The tokens a user
 * created are revoked with `revokeTokensCreatedBy` when that user is deleted or loses the admin
 * role (lib/auth/users.ts), including the tokens those tokens created in turn.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  AuthError,
  authKeys,
  isTokenRole,
  type RedisClient,
  type StoreOptions,
  type TokenRole,
} from "./types.ts";

export interface TokenInfo {
  id: string;
  name: string;
  role: TokenRole;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  /** when the token stops working (ms epoch); null: never */
  expiresAt: number | null;
}

const LAST_USED_RESOLUTION_MS = 60_000;
/** The longest lifetime a token may be given: ten years. */
export const MAX_TOKEN_LIFETIME_MS = 3650 * 86_400_000;
const TOKEN_SHAPE = /^rq_[a-f0-9]{12}_[A-Za-z0-9_-]{32,}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function toInfo(h: Record<string, string>): TokenInfo | null {
  if (!h.id || !isTokenRole(h.role)) return null;
  return {
    id: h.id,
    name: h.name,
    role: h.role,
    createdAt: Number(h.createdAt) || 0,
    createdBy: h.createdBy ?? "",
    lastUsedAt: h.lastUsedAt ? Number(h.lastUsedAt) : null,
    expiresAt: h.expiresAt ? Number(h.expiresAt) : null,
  };
}

/** Days (as the API and Settings take them) → the lifetime createToken takes; none → never. */
export const expiryMs = (days: number | undefined) => (days === undefined ? undefined : days * 86_400_000);

/** For the audit log: "role admin, expires 2026-12-30T11:00:00.000Z" or "…, never expires". */
export function describeToken(info: Pick<TokenInfo, "role" | "expiresAt">): string {
  const expiry =
    info.expiresAt === null ? "never expires" : `expires ${new Date(info.expiresAt).toISOString()}`;
  return `role ${info.role}, ${expiry}`;
}

export function isTokenExpired(info: Pick<TokenInfo, "expiresAt">, now = Date.now()): boolean {
  return info.expiresAt !== null && now >= info.expiresAt;
}

export interface NewToken {
  name: string;
  role: TokenRole;
  createdBy: string;
  /** lifetime from now in ms (at most MAX_TOKEN_LIFETIME_MS); omitted: the token never expires */
  expiresInMs?: number;
}

/** Creates a token. The returned `token` string is the only time it exists in clear. */
export async function createToken(
  redis: RedisClient,
  input: NewToken,
  opts?: StoreOptions,
): Promise<{ token: string; info: TokenInfo }> {
  const name = input.name.trim();
  if (!name || name.length > 80)
    throw new AuthError("INVALID_INPUT", "a token needs a name of 1-80 characters");
  if (!isTokenRole(input.role))
    throw new AuthError("INVALID_INPUT", "role must be admin, viewer or producer");
  const life = input.expiresInMs;
  if (life !== undefined && !(Number.isFinite(life) && life >= 1000 && life <= MAX_TOKEN_LIFETIME_MS))
    throw new AuthError("INVALID_INPUT", "a token's lifetime must be between 1 second and 3650 days");
  const keys = authKeys(opts);
  const id = randomBytes(6).toString("hex");
  const token = `rq_${id}_${randomBytes(24).toString("base64url")}`;
  const hash = hashToken(token);
  const now = Date.now();
  const info: TokenInfo = {
    id,
    name,
    role: input.role,
    createdAt: now,
    createdBy: input.createdBy,
    lastUsedAt: null,
    expiresAt: life === undefined ? null : now + Math.round(life),
  };
  await redis
    .multi()
    .hset(keys.token(hash), {
      id,
      name,
      role: input.role,
      createdAt: String(info.createdAt),
      createdBy: input.createdBy,
      ...(info.expiresAt === null ? {} : { expiresAt: String(info.expiresAt) }),
    })
    .hset(keys.tokens, id, hash)
    .exec();
  return { token, info };
}

/** The token's record when it is valid (not revoked, not expired), else null. Updates last-used cheaply. */
export async function verifyToken(
  redis: RedisClient,
  token: string,
  opts?: StoreOptions,
): Promise<TokenInfo | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const keys = authKeys(opts);
  const key = keys.token(hashToken(token));
  const info = toInfo(await redis.hgetall(key));
  const now = Date.now();
  if (!info || isTokenExpired(info, now)) return null;
  if (!info.lastUsedAt || now - info.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    // HSET only if the record still exists (XX-like): a concurrent revoke must not resurrect it.
    await redis.eval(TOUCH, 1, key, String(now));
  }
  return info;
}

const TOUCH = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1]) end return 1`;

export async function listTokens(redis: RedisClient, opts?: StoreOptions): Promise<TokenInfo[]> {
  const keys = authKeys(opts);
  const hashes = Object.values(await redis.hgetall(keys.tokens));
  const pipeline = redis.pipeline();
  for (const h of hashes) pipeline.hgetall(keys.token(h));
  const replies = (await pipeline.exec()) ?? [];
  return replies
    .map(([, h]) => toInfo(h as Record<string, string>))
    .filter((t): t is TokenInfo => t !== null)
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** Revokes by id. Returns the revoked token's record; NOT_FOUND if there is no such token. */
export async function revokeToken(redis: RedisClient, id: string, opts?: StoreOptions): Promise<TokenInfo> {
  const keys = authKeys(opts);
  const hash = await redis.hget(keys.tokens, id);
  if (!hash) throw new AuthError("NOT_FOUND", `no API token ${id}`);
  const info = toInfo(await redis.hgetall(keys.token(hash)));
  await redis.multi().del(keys.token(hash)).hdel(keys.tokens, id).exec();
  if (!info) throw new AuthError("NOT_FOUND", `no API token ${id}`);
  return info;
}

/**
 * Revokes every token `creator` (an email, as createToken records it) created, and the tokens
 * created by those tokens (`token:<id>`), so no key a user handed out outlives their rights.
 */
export async function revokeTokensCreatedBy(
  redis: RedisClient,
  creator: string,
  opts?: StoreOptions,
): Promise<TokenInfo[]> {
  const all = await listTokens(redis, opts);
  const creators = new Set([creator]);
  const doomed: TokenInfo[] = [];
  // Breadth-first over "created by": each pass adds the tokens the previous pass's tokens made.
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of all) {
      if (creators.has(t.createdBy) && !doomed.includes(t)) {
        doomed.push(t);
        creators.add(`token:${t.id}`);
        grew = true;
      }
    }
  }
  const revoked: TokenInfo[] = [];
  for (const t of doomed) {
    const done = await revokeToken(redis, t.id, opts).catch((err: AuthError) => {
      if (err.code === "NOT_FOUND") return null; // revoked meanwhile
      throw err;
    });
    if (done) revoked.push(done);
  }
  return revoked;
}
