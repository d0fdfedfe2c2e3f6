/**
 * Redis's own figures at this moment (INFO memory and stats): used and max memory, evicted keys
 * since start, ops/s. Read at scrape time, so /api/metrics is current even without the worker.
 */
import type { RedisClient } from "../redis/connection.ts";
import type { RedisSnapshot } from "./snapshot.ts";

export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

const num = (v: string | undefined) =>
  v === undefined || v === "" || Number.isNaN(Number(v)) ? null : Number(v);

/** On a Cluster, INFO goes to one node; the console reports that node (memory is per node). */
export async function readRedisInfo(client: RedisClient): Promise<RedisSnapshot> {
  const [memory, stats] = await Promise.all([client.info("memory"), client.info("stats")]);
  const info = { ...parseInfo(memory), ...parseInfo(stats) };
  return {
    usedMemory: num(info.used_memory),
    maxMemory: num(info.maxmemory),
    evictedKeys: num(info.evicted_keys),
    opsPerSec: num(info.instantaneous_ops_per_sec),
  };
}
