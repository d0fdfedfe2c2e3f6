/**
 * The cache mutations the console offers, shared by the JSON routes and the cache page's server
 * actions: flush one namespace, invalidate one tag. Each checks its input against what exists
 * (unknown namespace → 404), reports Redis trouble as 503, and is audited by the caller.
 * Also the user management's hook: a role change or a deletion invalidates that user's entries.
 */

import { HttpError, notFound } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { type Cache, createCache, isCacheError } from "#lib/cache/index.ts";
import { listNamespaces } from "#lib/cache/stats.ts";
import { getConfig } from "#lib/config.ts";
import { httpStatusOf } from "#lib/errors.ts";

export const NAMESPACE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const TAG_PATTERN = /^\S{1,200}$/;

let cache: Cache | undefined;
/**
 * One cache instance for the console process, on its fail-fast client, without statistics.
 * Waits for the first connection: before it, cache calls skip Redis (start-up is not an outage).
 */
async function consoleCache(): Promise<Cache> {
  cache ??= createCache({ client: consoleRedis(), stats: false });
  await cache.ready(2000);
  return cache;
}

/**
 * A cache error keeps its status (lib/errors.ts: bad input → 400); Redis trouble (error, timeout,
 * open breaker, or anything else the cache could not do) → 503 saying nothing was changed.
 */
function cacheFailure(err: unknown): unknown {
  return isCacheError(err) && httpStatusOf(err) !== 400 ? unavailable() : err;
}

const unavailable = () =>
  new HttpError(503, "Redis is unreachable; nothing was changed, try again when it is back");

export async function flushNamespace(namespace: string): Promise<{ namespace: string }> {
  const known = await listNamespaces(consoleRedis(), getConfig().REDIS_KEY_PREFIX);
  if (!known.includes(namespace)) {
    throw notFound(`No cache namespace "${namespace}"; known: ${known.join(", ") || "none yet"}`);
  }
  try {
    await (await consoleCache()).flushNamespace(namespace);
  } catch (err) {
    throw cacheFailure(err);
  }
  return { namespace };
}

export async function invalidateTag(tag: string): Promise<{ tag: string; namespaces: number }> {
  let res: { ok: boolean; namespaces: number };
  try {
    res = await (await consoleCache()).invalidateTag(tag);
  } catch (err) {
    throw cacheFailure(err);
  }
  if (!res.ok) throw unavailable();
  return { tag, namespaces: res.namespaces };
}

const USER_INVALIDATION_TRIES = 3;
const USER_INVALIDATION_PAUSE_MS = 200;

/**
 * After a user's role changes or the user is deleted: every cache entry of that user (tagged
 * `user:<email>`, in every namespace) becomes a miss, so nothing cached under the old
 * permissions is served. Never throws — the user change stands either way; the answer says
 * whether the entries were reached, for the audit entry.
 */
export async function invalidateUserEntries(email: string): Promise<string> {
  const cache = await consoleCache();
  let res = { ok: false };
  // Entries cached under old permissions must not outlive the change: a slow moment of Redis
  // (the cache's short deadline) gets two more tries before the answer admits it.
  for (let attempt = 0; attempt < USER_INVALIDATION_TRIES && !res.ok; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, USER_INVALIDATION_PAUSE_MS));
    res = await cache.invalidateUser(email).catch(() => ({ ok: false }));
  }
  return res.ok
    ? "cached entries invalidated"
    : "cached entries NOT invalidated (Redis unreachable): they expire with their TTL";
}
