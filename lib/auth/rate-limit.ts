/**
 * Sign-in rate limiting: attempts are counted per account and per client address in Redis
 * counters that expire SIGNIN_WINDOW_SECONDS after the first attempt. `reserveSignIn` checks and
 * counts in one script, before the password is checked: a burst of parallel attempts gets no
 * more tries than the limit (a check followed by a later count let every attempt of a burst pass
 * the check while bcrypt ran). Once a counter reaches its limit, further attempts are refused
 * without checking the password, until the window ends. A successful sign-in clears the
 * account's counter and gives its attempt back to the address's, so the address counts failures.
 */
import { getConfig } from "../config.ts";
import { authKeys, type RedisClient, type StoreOptions } from "./types.ts";

export interface RateLimits {
  perAccount: number;
  perIp: number;
  windowSeconds: number;
}

function configuredLimits(): RateLimits {
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

/**
 * KEYS: account counter, address counter. ARGV: account limit, address limit, window seconds.
 * Refuses ({0, reason, ttl}) when a counter is at its limit; else counts the attempt on both
 * ({1}); the first attempt starts the window.
 */
const RESERVE = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then
    return {0, i == 1 and 'account' or 'ip', redis.call('TTL', key)}
  end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[3]) end
end
return {1}`;

/** Checks the limits and counts this attempt, atomically. Call before checking the password. */
export async function reserveSignIn(
  redis: RedisClient,
  email: string,
  ip: string | undefined,
  limits: RateLimits = configuredLimits(),
  opts?: StoreOptions,
): Promise<LimitCheck> {
  const k = keysFor(email, ip, opts);
  const [ok, reason, ttl] = (await redis.eval(
    RESERVE,
    2,
    k.account,
    k.ip,
    String(limits.perAccount),
    String(limits.perIp),
    String(limits.windowSeconds),
  )) as [number, "account" | "ip", number];
  return ok === 1 ? { allowed: true } : { allowed: false, reason, retryAfterSeconds: Math.max(ttl, 1) };
}

/** KEYS: account counter, address counter. Clears the first, gives one attempt back to the second. */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1`;

/** After a reserved attempt signed in: only failures count against the account and the address. */
export async function recordSignInSuccess(
  redis: RedisClient,
  email: string,
  ip: string | undefined,
  opts?: StoreOptions,
): Promise<void> {
  const k = keysFor(email, ip, opts);
  await redis.eval(SUCCEEDED, 2, k.account, k.ip);
}
