/**
 * Which Redis a process on this machine uses when none is configured — one rule for `npm start`,
 * the worker and the CLI, so `npx requeue stats` during the demo reaches the demo's Redis:
 *
 * 1. REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES set (environment or .env): that one.
 * 2. Else the Redis a running `npm start` chose: it records it in `<data dir>/redis.json`
 *    (REQUEUE_DATA_DIR, default .data) with its process id, and removes the file when it stops.
 * 3. Else 127.0.0.1:6379 — where `npm start` also looks first, unless told to use the embedded
 *    Redis (REDIS_EMBEDDED=true or `npm start -- --embedded-redis`, on REDIS_EMBEDDED_PORT).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RedisClient } from "./connection.ts";

type Env = Record<string, string | undefined>;

/** Where Requeue looks for a Redis nobody configured (also REDIS_URL's default). */
export const LOCAL_REDIS_URL = "redis://127.0.0.1:6379";

/** Why `npm start` uses the Redis it uses. */
export type RedisReason = "configured" | "embedded" | "local";

export interface RecordedRedis {
  url: string;
  reason: RedisReason;
  pid: number;
}

/** True when the environment names a Redis (URL, Sentinel or Cluster). */
export function redisConfigured(env: Env): boolean {
  return Boolean(env.REDIS_URL || env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES);
}

/** `npm start`'s data directory: keys, generated credentials, the embedded Redis, redis.json. */
export function dataDir(env: Env = process.env): string {
  return resolve(env.REQUEUE_DATA_DIR || ".data");
}

const recordFile = (dir: string) => join(dir, "redis.json");

/** `npm start`: records the Redis it chose for the CLI and the workers started beside it. */
export function recordRedis(dir: string, url: string, reason: RedisReason): void {
  mkdirSync(dir, { recursive: true });
  const record: RecordedRedis = { url, reason, pid: process.pid };
  writeFileSync(recordFile(dir), JSON.stringify(record), { mode: 0o600 });
}

/** `npm start`, when it stops: the Redis it chose is no longer in use. */
export function forgetRedis(dir: string): void {
  rmSync(recordFile(dir), { force: true });
}

/** The Redis a running `npm start` recorded, or undefined (no file, or its process is gone). */
export function recordedRedis(dir: string): RecordedRedis | undefined {
  let record: RecordedRedis;
  try {
    record = JSON.parse(readFileSync(recordFile(dir), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof record?.url !== "string" || !Number.isInteger(record.pid)) return undefined;
  try {
    process.kill(record.pid, 0); // signal 0: only asks whether the process exists
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return record;
}

/**
 * The rule's steps 1–2 for a process that does not start Redis itself (CLI, worker): when the
 * environment names no Redis and a running `npm start` recorded one, sets REDIS_URL to it.
 * Returns the record used, if any.
 */
export function followStartedRedis(env: Env = process.env): RecordedRedis | undefined {
  if (redisConfigured(env)) return undefined;
  const record = recordedRedis(dataDir(env));
  if (record) env.REDIS_URL = record.url;
  return record;
}

/** What a Redis holds, as far as a bounded look can tell. */
export type RedisContents =
  | { kind: "empty" }
  | { kind: "requeue"; queues: number; keys: number }
  | { kind: "other"; keys: number };

/**
 * Whose this Redis looks like: DBSIZE, the queue registry (`<prefix>:queues`), and one SCAN
 * step (COUNT 1000) for any other `<prefix>:*` key. Three commands, whatever the size.
 */
export async function inspectRedis(client: RedisClient, prefix: string): Promise<RedisContents> {
  const keys = Number(await client.dbsize());
  if (keys === 0) return { kind: "empty" };
  const queues = Number(await client.scard(`${prefix}:queues`));
  if (queues > 0) return { kind: "requeue", queues, keys };
  const [, found] = await client.scan("0", "MATCH", `${prefix}:*`, "COUNT", 1000);
  return found.length > 0 ? { kind: "requeue", queues: 0, keys } : { kind: "other", keys };
}
