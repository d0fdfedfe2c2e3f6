/**
 * Which Redis `npm start` uses, said out loud (the rule itself: lib/redis/local.ts):
 *   REDIS_URL / REDIS_SENTINELS / REDIS_CLUSTER_NODES set → that one;
 *   the embedded Redis asked for (REDIS_EMBEDDED=true, --embedded-redis) → it, on REDIS_EMBEDDED_PORT;
 *   else a Redis answering on 127.0.0.1:6379 (unless REDIS_EMBEDDED=false) → it;
 *   else the embedded Redis: a redis-server from PATH, append-only, data under REQUEUE_DATA_DIR/redis.
 * It then says whose the Redis looks like (empty, Requeue's, or something else's) and records
 * the choice for the CLI and workers started beside it.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import type { Config } from "#lib/config.ts";
import { redactUrl } from "#lib/config-secrets.ts";
import { createRedis } from "#lib/redis/connection.ts";
import {
  dataDir,
  inspectRedis,
  LOCAL_REDIS_URL,
  type RedisReason,
  redisConfigured,
} from "#lib/redis/local.ts";
import { claimPort } from "./ports.ts";
import { log, StartError, spawnChild } from "./processes.ts";

export interface ChosenRedis {
  url: string;
  reason: RedisReason;
  /** The embedded redis-server, when this run started it. */
  proc?: ChildProcess;
}

export interface ChooseOptions {
  /** Where a Redis nobody configured is looked for (tests point it elsewhere). */
  localUrl?: string;
  /** Where the messages go; `[start  ] …` lines on stdout by default. */
  say?: (line: string) => void;
}

const sayStart = (line: string) => log("start", line);

const EMBEDDED_HINT = "REDIS_EMBEDDED=true npm start (or npm start -- --embedded-redis)";

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitFor(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await answers(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function configuredBy(env: Record<string, string | undefined>): string {
  if (env.REDIS_CLUSTER_NODES) return "REDIS_CLUSTER_NODES is set";
  if (env.REDIS_SENTINELS) return "REDIS_SENTINELS is set";
  return "REDIS_URL is set";
}

/** Decides which Redis to use, may start the embedded one, and says why. */
export async function chooseRedis(
  config: Config,
  env: Record<string, string | undefined>,
  argv: string[],
  { localUrl = LOCAL_REDIS_URL, say = sayStart }: ChooseOptions = {},
): Promise<ChosenRedis> {
  const dir = join(dataDir(env), "redis");
  const local = new URL(localUrl).host;
  if (redisConfigured(env)) {
    const where = config.REDIS_CLUSTER_NODES
      ? `cluster ${config.REDIS_CLUSTER_NODES.map((n) => `${n.host}:${n.port}`).join(",")}`
      : config.REDIS_SENTINELS
        ? `sentinel master ${config.REDIS_SENTINEL_NAME}`
        : redactUrl(config.REDIS_URL);
    say(`Redis: ${where} (${configuredBy(env)})`);
    return { url: config.REDIS_URL, reason: "configured" };
  }
  const asked = argv.includes("--embedded-redis")
    ? "--embedded-redis"
    : config.REDIS_EMBEDDED
      ? "REDIS_EMBEDDED=true"
      : undefined;
  if (asked) return startEmbedded(config, dir, asked, say);
  if (await answers(localUrl)) {
    say(`Redis: ${localUrl} (REDIS_URL is unset and a Redis answers on ${local})`);
    return { url: localUrl, reason: "local" };
  }
  if (config.REDIS_EMBEDDED === false)
    throw new StartError(`nothing answers on ${local} and REDIS_EMBEDDED=false: set REDIS_URL`);
  return startEmbedded(config, dir, `REDIS_URL is unset and nothing answers on ${local}`, say);
}

async function startEmbedded(
  config: Config,
  dir: string,
  why: string,
  say: (line: string) => void,
): Promise<ChosenRedis> {
  const port = config.REDIS_EMBEDDED_PORT;
  if (!onPath("redis-server")) {
    throw new StartError(
      [
        `the embedded Redis (${why}) needs redis-server, and it is not on PATH. Get one with:`,
        "  Debian/Ubuntu:  sudo apt-get install -y redis-server",
        "  macOS:          brew install redis",
        "  Docker:         docker compose up -d redis   (then REDIS_URL=redis://:$REDIS_PASSWORD@127.0.0.1:6379)",
        "or point Requeue at your own Redis with REDIS_URL=redis://…",
      ].join("\n"),
    );
  }
  await claimPort("127.0.0.1", port, "the embedded Redis's port", "REDIS_EMBEDDED_PORT");
  mkdirSync(dir, { recursive: true });
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes"];
  args.push("--appendfsync", "everysec", "--save", "", "--daemonize", "no", "--loglevel", "warning");
  // Its own process group: Ctrl-C in the terminal must not reach it before the apps have drained.
  const proc = spawnChild("redis", "redis-server", args, { detached: true });
  const url = `redis://127.0.0.1:${port}`;
  if (!(await waitFor(url, 15_000)))
    throw new StartError("the embedded redis-server did not start; see its log above");
  say(`Redis: embedded redis-server on 127.0.0.1:${port} (${why}); append-only, data in ${dir}`);
  return { url, reason: "embedded", proc };
}

/** Says whose the chosen Redis looks like; a Redis holding someone else's keys gets a warning. */
export async function describeRedis(
  config: Config,
  chosen: ChosenRedis,
  say: (line: string) => void = sayStart,
): Promise<void> {
  if (config.REDIS_CLUSTER_NODES || config.REDIS_SENTINELS) return;
  const client = createRedis({ ...config, REDIS_URL: chosen.url }, { failFast: true, name: "requeue-start" });
  client.on("error", () => {});
  const prefix = config.REDIS_KEY_PREFIX;
  try {
    const found = await inspectRedis(client, prefix);
    if (found.kind === "empty") say("Redis is empty: Requeue's data will be the only data in it");
    else if (found.kind === "requeue")
      say(`Redis holds Requeue's data (${found.queues} queues, keys ${prefix}:*; ${found.keys} keys in all)`);
    else if (chosen.reason === "embedded")
      say(`Redis holds ${found.keys} keys, none of them Requeue's (${prefix}:*)`);
    else
      say(
        `warning: this Redis holds ${found.keys} keys and none of Requeue's (${prefix}:*): it looks like ` +
          `someone else's. To keep Requeue apart, set REDIS_URL to a Redis of its own, or use the embedded one: ${EMBEDDED_HINT}`,
      );
  } catch (err) {
    say(`could not look inside Redis yet (${(err as Error).message}); the console and worker will retry`);
  } finally {
    client.disconnect();
  }
}
