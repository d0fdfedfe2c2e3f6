/**
 * One factory for every Redis connection Requeue makes: a URL (redis:// or rediss://, with
 * password and db), Redis Sentinel, or Redis Cluster, chosen by configuration.
 *
 * Connections are lazy: nothing connects at import or build time, only on the first command.
 * `getRedis()` keeps one shared client per process (on globalThis, so Next.js hot reload in
 * development reuses it instead of leaking a connection per reload).
 */
import { readFileSync } from "node:fs";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { type Config, getConfig } from "../config.ts";
import { redactUrl } from "../config-secrets.ts";
import { raiseUnavailable } from "./unavailable.ts";

/** A standalone, Sentinel or Cluster client: the commands Requeue uses are common to both. */
export type RedisClient = Redis | Cluster;

export type ConnectionSettings = Pick<
  Config,
  | "REDIS_URL"
  | "REDIS_SENTINELS"
  | "REDIS_SENTINEL_NAME"
  | "REDIS_CLUSTER_NODES"
  | "REDIS_CONNECT_TIMEOUT_MS"
  | "REDIS_TLS_CA_FILE"
  | "REDIS_TLS_INSECURE"
>;

export interface ConnectOptions {
  /**
   * While Redis is unreachable, reject commands at the first failed (re)connect (or after 3 s) instead of
   * queueing them until it returns: the console answers 503 and the CLI exits instead of hanging.
   */
  failFast?: boolean;
  /** A name shown by CLIENT LIST, e.g. "requeue-worker". */
  name?: string;
  /** Blocking commands need a connection of their own. */
  extra?: Partial<RedisOptions>;
}

/** Reconnect with exponential backoff, capped at 5 s, forever: the worker must resume by itself. */
export function reconnectDelay(attempt: number, capMs = 5000): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), capMs);
}

/** Fail-fast clients retry every second at most, so a command while Redis is down fails within ~1 s. */
const fastReconnectDelay = (attempt: number) => reconnectDelay(attempt, 1000);

/** Parses a Redis URL; a bad one is reported with its password replaced (Node's own error carries the input). */
function parseUrl(redisUrl: string): URL {
  try {
    return new URL(redisUrl);
  } catch {
    throw new TypeError(`not a valid Redis URL: ${redactUrl(redisUrl)}`);
  }
}

function urlParts(redisUrl: string) {
  const u = parseUrl(redisUrl);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === "rediss:",
  };
}

function tlsOptions(s: ConnectionSettings) {
  return {
    ca: s.REDIS_TLS_CA_FILE ? readFileSync(s.REDIS_TLS_CA_FILE) : undefined,
    rejectUnauthorized: !s.REDIS_TLS_INSECURE,
  };
}

/**
 * A failed AUTH or HELLO carries its arguments, the password among them, in `err.command.args`,
 * and logging the error object would print them: replace them. The same object rejects the
 * pending command, so this clean-up reaches callers too.
 */
function hideAuthArgs(err: unknown): void {
  const command = (err as { command?: { name?: string; args?: unknown[] } } | null)?.command;
  if (command?.args && /^(auth|hello)$/i.test(command.name ?? ""))
    command.args = command.args.map(() => "***");
}

/**
 * Builds a new client. The caller owns it and must `quit()` it. A command that cannot reach
 * Redis rejects with `RedisUnavailableError` (lib/errors.ts).
 */
export function createRedis(
  settings: ConnectionSettings = getConfig(),
  opts: ConnectOptions = {},
): RedisClient {
  const url = urlParts(settings.REDIS_URL);
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: settings.REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: opts.failFast ? fastReconnectDelay : (attempt) => reconnectDelay(attempt),
    // The offline queue stays on even when failing fast: a lazy client's first command is sent
    // before the connection is up and must wait for it, not fail.
    maxRetriesPerRequest: opts.failFast ? 0 : null,
    commandTimeout: opts.failFast ? 3000 : undefined,
    connectionName: opts.name,
    username: url.username,
    password: url.password,
    tls: url.tls ? tlsOptions(settings) : undefined,
    ...opts.extra,
  };

  let client: RedisClient;
  if (settings.REDIS_CLUSTER_NODES) {
    client = new Cluster(settings.REDIS_CLUSTER_NODES, {
      lazyConnect: true,
      clusterRetryStrategy: opts.failFast ? fastReconnectDelay : (attempt) => reconnectDelay(attempt),
      redisOptions: { ...common, db: undefined },
    });
  } else if (settings.REDIS_SENTINELS) {
    client = new Redis({
      ...common,
      sentinels: settings.REDIS_SENTINELS,
      name: settings.REDIS_SENTINEL_NAME,
      db: url.db,
      sentinelRetryStrategy: reconnectDelay,
    });
  } else {
    client = new Redis({ ...common, host: url.host, port: url.port, db: url.db });
  }
  // First listener, so the error is clean before any other listener or a rejected command sees it.
  client.on("error", hideAuthArgs);
  raiseUnavailable(client);
  return client;
}

/** Builds a client for a URL alone (tests, tools), with the rest of the settings at their defaults. */
export function createRedisFromUrl(redisUrl: string, opts: ConnectOptions = {}): RedisClient {
  return createRedis(
    {
      REDIS_URL: redisUrl,
      REDIS_SENTINELS: undefined,
      REDIS_SENTINEL_NAME: "mymaster",
      REDIS_CLUSTER_NODES: undefined,
      REDIS_CONNECT_TIMEOUT_MS: 5000,
      REDIS_TLS_CA_FILE: undefined,
      REDIS_TLS_INSECURE: false,
    },
    opts,
  );
}

const shared = globalThis as unknown as { __requeueRedis?: Map<string, RedisClient> };

/**
 * The process's shared client (one per `name`). Lazy: created on first call, connected on first
 * command. The console uses `failFast` so a request while Redis is down answers 503 at once.
 */
export function getRedis(name = "default", opts: ConnectOptions = {}): RedisClient {
  shared.__requeueRedis ??= new Map();
  let client = shared.__requeueRedis.get(name);
  if (!client) {
    client = createRedis(getConfig(), { name: `requeue-${name}`, ...opts });
    client.on("error", () => {
      // ioredis emits connection errors here; without a listener Node prints each one. The
      // reconnect loop handles them; callers see command errors and health reports "down".
    });
    shared.__requeueRedis.set(name, client);
  }
  return client;
}

/** Closes every shared client (graceful shutdown, end of tests). */
export async function closeSharedRedis(): Promise<void> {
  const clients = [...(shared.__requeueRedis?.values() ?? [])];
  shared.__requeueRedis?.clear();
  await Promise.allSettled(clients.map((c) => c.quit()));
}

/** PING with a deadline: "up" or "down", never throws. */
export async function pingRedis(client: RedisClient, timeoutMs = 1000): Promise<"up" | "down"> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    const reply = await Promise.race([client.ping(), deadline]);
    return reply === "PONG" ? "up" : "down";
  } catch {
    return "down";
  } finally {
    clearTimeout(timer);
  }
}
