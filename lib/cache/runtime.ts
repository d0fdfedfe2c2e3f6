/**
 * What every namespace of one cache instance shares: the Redis client and its scripts, the
 * circuit breaker, the statistics recorder, the in-flight loads of this process and settings.
 * `guarded` is the one door to Redis: breaker check, deadline, error accounting.
 */
import type { Config } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import type { CircuitBreaker } from "./breaker.ts";
import { type Deadline, type DeadlineQueue, settle } from "./deadlines.ts";
import { CacheError, isCacheError } from "./errors.ts";
import type { NearStore } from "./near.ts";
import type { StatsRecorder } from "./recorder.ts";
import type { CacheScripts } from "./scripts.ts";

export interface NamespaceSettings {
  /** seconds an entry is fresh */
  ttl: number;
  /** seconds past the TTL an entry may still be served while one caller refreshes it */
  grace: number;
  /** take a short cross-process lock on a miss, so one process loads while the others wait */
  lock: boolean;
  /** every call must name a user (or tenant); entries are keyed and tagged by it */
  userScoped: boolean;
  /** keep fresh hits in process memory too (the near cache), when CACHE_NEAR_ENABLED */
  near: boolean;
  /**
   * Hits return one deep-frozen value shared by every caller instead of a copy each: an L1 hit
   * then costs no parse. Opt-in: a caller that mutates a frozen value gets a TypeError (strict
   * mode) or a silent no-op, never another caller's change. A loader's own value is returned as is.
   */
  frozen: boolean;
}

/**
 * Namespaces get the near cache by default only if their TTL is at least this long. A key of a
 * 5-second namespace (job_status) is read from Redis again every few seconds anyway and changes
 * often: L1 would save little and cost tracking slots and invalidation traffic.
 */
export const NEAR_MIN_TTL_SECONDS = 30;

export interface Runtime {
  client: RedisClient;
  scripts: CacheScripts;
  breaker: CircuitBreaker;
  recorder: StatsRecorder;
  config: Config;
  prefix: string;
  enabled: boolean;
  instanceId: string;
  /** loads in progress in this process, by full entry key (single-flight) */
  inflight: Map<string, Promise<unknown>>;
  /** stale entries being refreshed in the background by this process */
  refreshing: Set<string>;
  /** the client has been connected at least once (before that, calls bypass Redis) */
  connected: boolean;
  /** the deadline of every call to Redis (CACHE_TIMEOUT_MS) */
  deadlines: DeadlineQueue;
  /** cache calls to Redis in flight */
  pending: number;
  /** the client's socket is corked until the next tick (see corkWrites) */
  corked: boolean;
  /** namespaces this process has added to the registry */
  registered: Set<string>;
  /** the near cache (L1), when CACHE_NEAR_ENABLED */
  near: NearStore | undefined;
}

export type Guarded<T> = { ok: true; value: T } | { ok: false; reason: "bypass" | "error"; error?: unknown };

/**
 * Runs one Redis call under the breaker and the deadline. Never throws: an open breaker is a
 * bypass, an error or timeout is counted (and reported to the breaker) and returned as such.
 * `then` turns the reply into the result in the same step (the hit path: one hop, not two);
 * if it throws, the call counts as an error.
 */
export function guarded<T, R = T>(
  rt: Runtime,
  namespace: string,
  call: () => Promise<T>,
  then?: (value: T) => R,
): Promise<Guarded<R>> {
  // Until the first connection, skip Redis without blaming it: start-up is not an outage.
  if (!rt.connected || !rt.breaker.allow()) {
    rt.recorder.add(namespace, "bypasses");
    return Promise.resolve({ ok: false, reason: "bypass" });
  }
  // A lone call is written at once; only calls issued while others are in flight are coalesced.
  if (rt.pending > 0) corkWrites(rt);
  rt.pending++;
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    pending = Promise.reject(error);
  }
  // No named closures here: this runs on every call, and under tsx each one costs a __name call.
  return new Promise<Guarded<R>>((resolve) => {
    const deadline = rt.deadlines.add(() => failed(rt, namespace, deadline, resolve, timeoutError(rt)));
    pending.then(
      (value) => {
        if (deadline.done) return;
        let result: R;
        try {
          result = then ? then(value) : (value as unknown as R);
        } catch (error) {
          failed(rt, namespace, deadline, resolve, error);
          return;
        }
        settle(deadline);
        rt.pending--;
        rt.breaker.success();
        resolve({ ok: true, value: result });
      },
      (error) => failed(rt, namespace, deadline, resolve, error),
    );
  });
}

/** A call's failure or timeout: counted, reported to the breaker and answered — once. */
function failed<R>(
  rt: Runtime,
  namespace: string,
  deadline: Deadline,
  resolve: (outcome: Guarded<R>) => void,
  error: unknown,
): void {
  if (deadline.done) return;
  settle(deadline);
  rt.pending--;
  rt.breaker.failure();
  rt.recorder.add(namespace, "errors");
  if (isCacheError(error, "CACHE_TIMEOUT")) rt.recorder.add(namespace, "timeouts");
  resolve({ ok: false, reason: "error", error });
}

const timeoutError = (rt: Runtime) =>
  new CacheError("CACHE_TIMEOUT", `cache call took over ${rt.deadlines.timeoutMs} ms`);

/**
 * Coalesces the socket writes of one tick into one writev (as node-redis does): while other
 * calls are in flight, the socket is corked before a command and uncorked on the next tick.
 * Fifty concurrent hits then cost a few writes instead of fifty.
 */
function corkWrites(rt: Runtime): void {
  if (rt.corked || rt.client.isCluster) return;
  const stream = (rt.client as { stream?: { cork?: () => void; uncork: () => void; writable?: boolean } })
    .stream;
  if (!stream?.cork || !stream.writable) return;
  rt.corked = true;
  stream.cork();
  process.nextTick(() => {
    rt.corked = false;
    stream.uncork();
  });
}

/** The error a plain call (set, delete, invalidate with `throwOnError`) reports. */
export function unavailable(failed: { reason: "bypass" | "error"; error?: unknown }): CacheError {
  return failed.reason === "bypass"
    ? new CacheError("CACHE_CIRCUIT_OPEN", "the cache circuit breaker is open: Redis is skipped for now")
    : new CacheError("CACHE_UNAVAILABLE", "the cache call failed or timed out", { cause: failed.error });
}
