/**
 * The cap on background bulk operations running at once (BULK_MAX_RUNNING), shared by every
 * console process through one zset: op id -> lease end. Taking a slot is one script (drop expired
 * leases, count, add), so parallel starts never pass the cap; a running operation renews its
 * lease with each progress report and gives the slot back when it ends. A process that dies
 * mid-operation holds its slot only until the lease runs out (STALLED_AFTER_MS).
 */
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";
import { DlqError } from "./errors.ts";

/** A lease outlives the longest silence of a live operation (it reports at least once a second). */
export const SLOT_LEASE_MS = 60_000;

const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[3]) then return -n end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
return n + 1`;

/** Takes a slot for `opId`, or throws BUSY when `max` operations already run. */
export async function takeSlot(client: RedisClient, opId: string, max = getConfig().BULK_MAX_RUNNING) {
  const now = Date.now();
  const n = Number(await client.eval(TAKE, 1, globalKeys().bulkRunning, now, now + SLOT_LEASE_MS, max, opId));
  if (n < 0) {
    throw new DlqError(
      "BUSY",
      `${-n} bulk operations are already running (at most ${max}, BULK_MAX_RUNNING): wait for one to end or cancel one, then try again`,
    );
  }
}

/** Renews a running operation's lease (no-op for an operation that holds no slot, e.g. the CLI's). */
export function renewSlot(client: RedisClient, opId: string) {
  return client.zadd(globalKeys().bulkRunning, "XX", Date.now() + SLOT_LEASE_MS, opId);
}

export function releaseSlot(client: RedisClient, opId: string) {
  return client.zrem(globalKeys().bulkRunning, opId);
}
