/**
 * A queue's context: its name, client, key names and settings, plus the key lists each script
 * takes, built in one place so KEYS order matches the script headers.
 */
import type { Config } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { keyPrefixes, minuteOf, type QueueKeys, queueKeys } from "../redis/keys.ts";
import { type QueueSettings, queueSettings } from "./job.ts";

export interface QueueContext {
  name: string;
  client: RedisClient;
  keys: QueueKeys;
  settings: QueueSettings;
}

const statsNow = (k: QueueKeys) => k.stats(minuteOf(Date.now()));

/** KEYS of lease, fail, reclaim and trimdead (lib/redis/lua/includes/keys10.lua). */
export function deadKeys(k: QueueKeys): string[] {
  return [k.active, k.ready, k.retry, k.dead, k.groups, k.totals, statsNow(k), ...keyPrefixes(k)];
}

/** KEYS of lease-11.lua: those of deadKeys, then the queue's pause flag. */
export const leaseKeys = (k: QueueKeys) => [...deadKeys(k), k.paused];
export const addKeys = (k: QueueKeys) => [k.ready, k.retry, k.completed, statsNow(k), k.seq, k.job("")];
export const completeKeys = (k: QueueKeys) => [k.active, k.completed, statsNow(k), k.job(""), k.done];
export const extendKeys = (k: QueueKeys) => [k.active, k.job(""), k.consumers];
export const releaseKeys = (k: QueueKeys) => [k.active, k.ready, k.job("")];
export const promoteKeys = (k: QueueKeys) => [k.retry, k.ready];

/** The context of a queue by name, for services that handle many queues (the worker). */
export function queueContext(name: string, client: RedisClient, config: Config): QueueContext {
  return { name, client, keys: queueKeys(name, config.REDIS_KEY_PREFIX), settings: queueSettings(config) };
}
