/**
 * Pausing a queue: while paused, no consumer leases a job from it (lease-11.lua checks the flag in
 * the same atomic step as it pops ready), adds still succeed, jobs in hand finish normally, and
 * due retries are still promoted into ready. A consumer that learns of the pause from a lease
 * reply hands back the prefetched jobs it has not started (pump.ts), so nothing starts once the
 * pause is seen. The flag is one key in the queue's hash tag (`keys.paused`, holding when it was
 * paused): it lives in Redis, so it survives restarts of every process.
 *
 * Each call is one command and idempotent: pausing a paused queue keeps its first pause time.
 */
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import type { KeyOptions } from "./stats.ts";

export interface PauseState {
  paused: boolean;
  /** when it was paused (ms), null while running */
  pausedAt: number | null;
}

/** Whether this call changed anything (false: it was already in that state). */
export interface PauseChange extends PauseState {
  changed: boolean;
}

const keyOf = (queue: string, o?: KeyOptions) =>
  queueKeys(queue, o?.prefix ?? getConfig().REDIS_KEY_PREFIX).paused;

/** Pauses a queue: consumers lease nothing new from it until resumeQueue. */
export async function pauseQueue(
  client: RedisClient,
  queue: string,
  o?: KeyOptions & { now?: number },
): Promise<PauseChange> {
  const key = keyOf(queue, o);
  const now = o?.now ?? Date.now();
  // SET NX … GET: one command that sets only when absent and answers the earlier value
  const before = await client.set(key, String(now), "NX", "GET");
  return before === null
    ? { paused: true, pausedAt: now, changed: true }
    : { paused: true, pausedAt: Number(before), changed: false };
}

/** Resumes a paused queue: consumers pick it up at their next poll (at most `pollMs`). */
export async function resumeQueue(client: RedisClient, queue: string, o?: KeyOptions): Promise<PauseChange> {
  const removed = await client.del(keyOf(queue, o));
  return { paused: false, pausedAt: null, changed: removed === 1 };
}

export async function pauseState(client: RedisClient, queue: string, o?: KeyOptions): Promise<PauseState> {
  const at = await client.get(keyOf(queue, o));
  return at === null ? { paused: false, pausedAt: null } : { paused: true, pausedAt: Number(at) };
}

export async function isPaused(client: RedisClient, queue: string, o?: KeyOptions): Promise<boolean> {
  return (await pauseState(client, queue, o)).paused;
}
