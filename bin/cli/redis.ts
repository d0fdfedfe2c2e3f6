/**
 * The CLI's Redis: configuration from the environment (or --redis-url), then a fail-fast
 * connection — a short connect timeout and no reconnect loop — so an unreachable Redis is a
 * clear message and exit code 4 within seconds, never a hang:
 *   requeue: cannot reach Redis at redis://127.0.0.1:6390: connection refused
 * Library modules that use the shared client (`getRedis()`) read the same REDIS_URL.
 *
 * Which Redis: --redis-url, else the environment and the .env files read like every Requeue
 * process (lib/env-files.ts), else the Redis a running `npm start` chose (lib/redis/local.ts).
 */
import { type Config, ConfigError, parseConfig, resetConfig } from "../../lib/config.ts";
import { redactUrl } from "../../lib/config-secrets.ts";
import { type LoadedEnvFiles, loadEnvFiles } from "../../lib/env-files.ts";
import { closeSharedRedis, createRedis, type RedisClient } from "../../lib/redis/connection.ts";
import { dataDir, followStartedRedis, redisConfigured } from "../../lib/redis/local.ts";
import { str, type Values } from "./command.ts";
import { unreachable, usageError } from "./errors.ts";

/** How long the CLI waits for Redis to answer before giving up (ms). */
export const CLI_CONNECT_TIMEOUT_MS = 3000;

let open: RedisClient[] = [];
/** Where the Redis came from, when that helps an operator read "cannot reach Redis at …". */
let redisOrigin = "";

let environment: (LoadedEnvFiles & { redisFromStart: boolean }) | undefined;

/**
 * The environment as the CLI sees it: --redis-url, then the real environment, then .env files,
 * then the Redis `npm start` recorded. Settled once per run (the files are read once).
 */
export function cliEnvironment(values: Values): LoadedEnvFiles & { redisFromStart: boolean } {
  if (environment) return environment;
  const url = str(values["redis-url"]);
  if (url) process.env.REDIS_URL = url;
  const loaded = loadEnvFiles(process.env);
  const configured = redisConfigured(process.env);
  const started = followStartedRedis(process.env);
  redisOrigin = started
    ? ` (the Redis npm start is using, recorded in ${dataDir(process.env)}/redis.json)`
    : configured
      ? ""
      : ` (REDIS_URL is unset: set it, pass --redis-url, or run npm start, whose Redis the CLI then finds)`;
  environment = { ...loaded, redisFromStart: started !== undefined };
  return environment;
}

/** The configuration, with --redis-url applied; a bad variable is a usage error (exit 2). */
export function cliConfig(values: Values): Config {
  cliEnvironment(values);
  resetConfig();
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) throw usageError(err.problems.join("\n  "));
    throw err;
  }
}

/** The URL as it may be shown: the password replaced by "***". */
export function displayUrl(config: Config): string {
  if (config.REDIS_CLUSTER_NODES)
    return `cluster ${config.REDIS_CLUSTER_NODES.map((n) => `${n.host}:${n.port}`)}`;
  if (config.REDIS_SENTINELS) return `sentinel ${config.REDIS_SENTINEL_NAME}`;
  return redactUrl(config.REDIS_URL);
}

/** Turns a connection error into words: "connection refused", "timed out after 3000 ms", … */
export function describeConnectError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.code === "ECONNREFUSED" || /ECONNREFUSED/.test(msg)) return "connection refused";
  if (e?.code === "ENOTFOUND" || /ENOTFOUND|EAI_AGAIN/.test(msg)) return "host not found";
  if (e?.code === "ETIMEDOUT" || /ETIMEDOUT|timed out/i.test(msg)) return "timed out";
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(msg)) return "authentication failed";
  if (e?.code === "EHOSTUNREACH" || /EHOSTUNREACH|ENETUNREACH/.test(msg)) return "host unreachable";
  if (/Unknown RESP type|Protocol error/i.test(msg))
    return "what answers there does not speak the Redis protocol";
  // bounded: an unbounded userinfo rescanned the rest of the message from every "redis://"
  return msg.slice(0, 2000).replace(/(rediss?:\/\/)[^@\s]{0,256}@/g, "$1***@");
}

/**
 * Connects and PINGs with a deadline. Returns a client the command owns until `closeAll()`;
 * throws exit code 4 when Redis does not answer.
 */
export async function connect(config: Config): Promise<RedisClient> {
  const client = createRedis(config, {
    failFast: true,
    name: "requeue-cli",
    extra: { connectTimeout: CLI_CONNECT_TIMEOUT_MS, retryStrategy: () => null, maxRetriesPerRequest: 0 },
  });
  open.push(client);
  let lastError: unknown;
  client.on("error", (err) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${CLI_CONNECT_TIMEOUT_MS} ms`)),
      CLI_CONNECT_TIMEOUT_MS + 500,
    );
  });
  try {
    await Promise.race([
      (async () => {
        if (client.status === "wait") await client.connect();
        await client.ping();
      })(),
      deadline,
    ]);
  } catch (err) {
    const cause = describeConnectError(lastError ?? err);
    throw unreachable(`cannot reach Redis at ${displayUrl(config)}${redisOrigin}: ${cause}`);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** Closes every client the command opened, waiting at most half a second. */
export async function closeAll(): Promise<void> {
  const clients = open;
  open = [];
  const closing = Promise.allSettled([...clients.map((c) => c.quit()), closeSharedRedis()]);
  await Promise.race([closing, new Promise((r) => setTimeout(r, 500).unref())]);
  for (const c of clients) c.disconnect();
}
