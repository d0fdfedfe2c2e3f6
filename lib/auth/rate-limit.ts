/**
 * Sign-in rate limiting: failed attempts are counted per account and per client IP in Redis
 * counters that expire SIGNIN_WINDOW_SECONDS after the first failure. Once a counter reaches its
 * limit, further attempts are refused without checking the password (so guessing stops), until
 * the window ends. A successful sign-in clears the account's counter, not the IP's.
 */
import { getConfig } from "../config.ts";
import { authKeys, type RedisClient, type StoreOptions } from "./types.ts";

export interface RateLimits {
  perAccount: number;
  perIp: number;
  windowSeconds: number;
}

export function configuredLimits(): RateLimits {
  const c = getConfig();
  return {
    perAccount: c.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
    perIp: c.SIGNIN_MAX_FAILURES_PER_IP,
    windowSeconds: c.SIGNIN_WINDOW_SECONDS,
  };
}

export interface LimitCheck {
  allowed: boolean;
  /** which counter refused */
  reason?: "account" | "ip";
  retryAfterSeconds?: number;
}

function keysFor(email: string, ip: string | undefined, opts?: StoreOptions) {
  const k = authKeys(opts);
  return {
    account: k.signinFailures("account", email.trim().toLowerCase()),
    ip: k.signinFailures("ip", ip || "unknown"),
  };
}

export async function checkSignIn(
  redis: RedisClient,
  email: string,
  ip: string | undefined,
  limits: RateLimits = configuredLimits(),
  opts?: StoreOptions,
): Promise<LimitCheck> {
  const k = keysFor(email, ip, opts);
  const [account, perIp] = await redis.mget(k.account, k.ip);
  if (Number(account ?? 0) >= limits.perAccount) {
    return { allowed: false, reason: "account", retryAfterSeconds: Math.max(await redis.ttl(k.account), 1) };
  }
  if (Number(perIp ?? 0) >= limits.perIp) {
    return { allowed: false, reason: "ip", retryAfterSeconds: Math.max(await redis.ttl(k.ip), 1) };
  }
  return { allowed: true };
}

/** KEYS: counters. ARGV: window seconds. INCR each; the first failure starts the window. */
const RECORD = `
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return 1`;

export async function recordSignInFailure(
  redis: RedisClient,
  email: string,
  ip: string | undefined,
  limits: RateLimits = configuredLimits(),
  opts?: StoreOptions,
): Promise<void> {
  const k = keysFor(email, ip, opts);
  await redis.eval(RECORD, 2, k.account, k.ip, String(limits.windowSeconds));
}

export async function recordSignInSuccess(
  redis: RedisClient,
  email: string,
  opts?: StoreOptions,
): Promise<void> {
  await redis.del(keysFor(email, undefined, opts).account);
}
