/**
 * The key schema: every Redis key Requeue writes is named here, nowhere else.
 *
 * All keys of one queue share the hash tag `{queue}` so every Lua script touching a queue runs
 * on a single Redis Cluster slot; different queues spread across shards. Global keys (the queue
 * registry, users, tokens, audit log, alerts) carry their own tags. See docs/storage.md.
 */
import { getConfig } from "../config.ts";

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Queue names appear inside keys and URLs: keep them to a safe alphabet. */
export function isValidQueueName(name: string): boolean {
  return QUEUE_NAME.test(name) && !name.includes("{") && !name.includes("}");
}

export function queueKeys(queue: string, prefix = getConfig().REDIS_KEY_PREFIX) {
  if (!isValidQueueName(queue)) throw new Error(`invalid queue name ${JSON.stringify(queue)}`);
  const base = `${prefix}:{${queue}}`;
  return {
    base,
    /** hash per job: payload, meta, attempts, errors, dead-letter fields */
    job: (id: string) => `${base}:job:${id}`,
    /**
     * list of a job's log lines (job.log), the newest JOB_LOG_MAX_LINES; deleted with the job hash.
     * Scripts derive it from the job prefix (logsKeyOf in lua/includes/common.lua): keep the two in step.
     */
    logs: (id: string) => `${base}:logs:${id}`,
    /** list of job ids ready to run (LPUSH new, RPOP/LMOVE to lease) */
    ready: `${base}:ready`,
    /** zset id → lease deadline (ms); the worker reclaims expired ones */
    active: `${base}:active`,
    /** zset id → due time (ms): backed-off retries and delayed jobs */
    retry: `${base}:retry`,
    /** zset id → completion time (ms), trimmed by age and count */
    completed: `${base}:completed`,
    /** hash id → record of a completed job (finished, duration, attempts[, payload]); trimmed with `completed` */
    done: `${base}:done`,
    /** hash consumer id → last beat JSON {host, pid, beat, every}: written by the lease extension (extend-3.lua) */
    consumers: `${base}:consumers`,
    /** zset id → dead-letter time (ms): the DLQ of this queue */
    dead: `${base}:dead`,
    /** zset fingerprint → last seen (ms): the error groups of this queue's DLQ */
    groups: `${base}:groups`,
    /** zset id → dead-letter time (ms), one per error fingerprint */
    group: (fingerprint: string) => `${base}:group:${fingerprint}`,
    /** hash: name, message sample, top frame, first/last seen of one fingerprint */
    groupInfo: (fingerprint: string) => `${base}:groupinfo:${fingerprint}`,
    /** hash of counters for one UTC minute (added, completed, failed, …), expires after 8 days */
    stats: (minute: number) => `${base}:stats:${minute}`,
    /** hash of lifetime counters: dropped dead letters, duplicates, … */
    totals: `${base}:totals`,
    /** string counter: ids generated for jobs added without one (custom ids are never all digits) */
    seq: `${base}:seq`,
    /** string, present while the queue is paused: when it was paused (ms); see lib/queue/pause.ts */
    paused: `${base}:paused`,
  };
}

export type QueueKeys = ReturnType<typeof queueKeys>;

/** job, group and groupinfo names without the id: scripts append it (KEYS; docs/storage.md). */
export const keyPrefixes = (k: QueueKeys) => [k.job(""), k.group(""), k.groupInfo("")];

export function globalKeys(prefix = getConfig().REDIS_KEY_PREFIX) {
  return {
    /** set of every queue name ever added to */
    queues: `${prefix}:queues`,
    /** hash worker id → last heartbeat JSON; zset worker id → last beat (ms) */
    heartbeats: `${prefix}:workers`,
    /** single-runner guard for a periodic sweep (SET NX PX) */
    sweepLock: (sweep: string) => `${prefix}:lock:${sweep}`,
    /** bulk operation progress, by operation id */
    bulk: (opId: string) => `${prefix}:bulk:${opId}`,
    bulkIndex: `${prefix}:bulk:index`,
    /** bulk operations running now: op id -> lease end (ms), for BULK_MAX_RUNNING */
    bulkRunning: `${prefix}:bulk:running`,
    /** cache namespace stats, per minute */
    cacheStats: (namespace: string, minute: number) => `${prefix}:cstats:{${namespace}}:${minute}`,
    /** zset minute → minute: the minutes a namespace has stats for (same slot as cacheStats) */
    cacheStatsMinutes: (namespace: string) => `${prefix}:cstats:{${namespace}}:minutes`,
    /** set of every cache namespace ever used */
    cacheNamespaces: `${prefix}:cache:namespaces`,
    /** hash cache instance id → circuit breaker state JSON */
    cacheBreakers: `${prefix}:cache:breakers`,
    /** hash cache instance id → near cache (L1) state JSON: bytes, entries, tracking */
    cacheNear: `${prefix}:cache:near`,
    /** alerts: thresholds, state and history */
    alertThresholds: `${prefix}:alerts:thresholds`,
    alertState: `${prefix}:alerts:state`,
    alertHistory: `${prefix}:alerts:history`,
    /** redis self-samples written by the worker, per minute */
    redisSamples: `${prefix}:redis:samples`,
    /** access (one hash tag, so multi-key transactions work on a cluster): see lib/auth */
    /** hash per user: email, name, role, passwordHash (bcrypt), timestamps */
    user: (email: string) => `${prefix}:{auth}:user:${email}`,
    /** set of user emails */
    users: `${prefix}:{auth}:users`,
    /** hash per API token, keyed by the SHA-256 of the token: id, name, role, lastUsedAt */
    token: (hash: string) => `${prefix}:{auth}:token:${hash}`,
    /** hash token id → SHA-256 of the token (to list and revoke by id) */
    tokens: `${prefix}:{auth}:tokens`,
    /** stream: the append-only audit log, capped by AUDIT_MAX_ENTRIES */
    audit: `${prefix}:{auth}:audit`,
    /** stream: failed sign-ins and refused requests, capped by AUDIT_REFUSED_MAX_ENTRIES */
    auditRefused: `${prefix}:{auth}:audit:refused`,
    /** counter of one kind of refusal (hash of action, actor, target, ip) in the current window */
    auditRefusedCount: (id: string) => `${prefix}:{auth}:audit:refused:n:${id}`,
    /** sign-in failure counters (INCR + EXPIRE), per account and per client IP */
    signinFailures: (kind: "account" | "ip", id: string) => `${prefix}:{auth}:rl:${kind}:${id}`,
  };
}

/**
 * Keys of one cache namespace. They share the hash tag `{c:namespace}`, so a read (one MGET of
 * entry, generation and tag versions) and each Lua script of a namespace run on one Cluster slot.
 */
export function cacheKeys(namespace: string, prefix = getConfig().REDIS_KEY_PREFIX) {
  const base = `${prefix}:cache:{c:${namespace}}`;
  return {
    base,
    /** string: header line + payload; see lib/cache/codec.ts */
    entry: (key: string) => `${base}:k:${key}`,
    /** entries scoped to one user or tenant */
    userEntry: (user: string, key: string) => `${base}:u:${user}:${key}`,
    /** string: the flush generation (missing = 0); a flush increments it */
    generation: `${base}:gen`,
    /** hash: maxttl (longest entry lifetime written, ms) */
    meta: `${base}:meta`,
    /** string: the version of a tag in this namespace */
    tag: (tag: string) => `${base}:t:${tag}`,
    tagPrefix: `${base}:t:`,
    /** short cross-process loader lock of one entry (given its full entry key) */
    lock: (entryKey: string) => `${base}:l:${entryKey.slice(base.length + 1)}`,
  };
}

export type CacheKeys = ReturnType<typeof cacheKeys>;

/** The UTC minute a timestamp falls in, as used by per-minute stats keys. */
export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** Per-minute buckets are kept 8 days: the console charts 7. */
export const STATS_TTL_SECONDS = 8 * 24 * 3600;
