/**
 * Worker heartbeats: each worker replica writes `{id, host, pid, startedAt, beatAt, tasks}`
 * into the hash globalKeys().heartbeats every interval; the console reads them with
 * `readHeartbeats` to show whether the retry worker is alive. Entries silent for an hour are
 * pruned; a worker that stops cleanly removes its own.
 */
import { hostname } from "node:os";
import { getConfig } from "../lib/config.ts";
import type { RedisClient } from "../lib/redis/connection.ts";
import { globalKeys } from "../lib/redis/keys.ts";

export interface TaskStatus {
  runs: number;
  /** runs skipped because another replica held the task's lock */
  skipped: number;
  lastRunAt?: number;
  lastMs?: number;
  lastError?: string;
  lastResult?: unknown;
}

export interface Heartbeat {
  id: string;
  host: string;
  pid: number;
  startedAt: number;
  beatAt: number;
  /** how often it beats: a beat older than ~3 intervals means the worker is gone */
  intervalMs: number;
  tasks: Record<string, TaskStatus>;
}

export interface HeartbeatView extends Heartbeat {
  ageMs: number;
  alive: boolean;
}

const PRUNE_AFTER_MS = 3_600_000;

export async function writeHeartbeat(
  client: RedisClient,
  prefix: string,
  beat: Omit<Heartbeat, "host" | "pid" | "beatAt">,
): Promise<void> {
  const key = globalKeys(prefix).heartbeats;
  const full: Heartbeat = { ...beat, host: hostname(), pid: process.pid, beatAt: Date.now() };
  await client.hset(key, beat.id, JSON.stringify(full));
  const stale = (await readHeartbeats(client, prefix))
    .filter((h) => h.ageMs > PRUNE_AFTER_MS)
    .map((h) => h.id);
  if (stale.length) await client.hdel(key, ...stale);
}

export async function removeHeartbeat(client: RedisClient, prefix: string, id: string): Promise<void> {
  await client.hdel(globalKeys(prefix).heartbeats, id);
}

/** Every worker's last heartbeat, newest first, with its age and whether it looks alive. */
export async function readHeartbeats(
  client: RedisClient,
  prefix = getConfig().REDIS_KEY_PREFIX,
  now = Date.now(),
): Promise<HeartbeatView[]> {
  const all = await client.hgetall(globalKeys(prefix).heartbeats);
  const views: HeartbeatView[] = [];
  for (const json of Object.values(all)) {
    try {
      const h = JSON.parse(json) as Heartbeat;
      const ageMs = Math.max(0, now - h.beatAt);
      views.push({ ...h, ageMs, alive: ageMs <= 3 * Math.max(h.intervalMs, 1000) });
    } catch {
      // an unreadable entry is skipped; it is pruned by age never, so overwrite-by-id fixes it
    }
  }
  return views.sort((a, b) => b.beatAt - a.beatAt);
}
