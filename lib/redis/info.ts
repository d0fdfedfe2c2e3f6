/**
 * Redis's own figures from INFO: the one parser of its text (the metrics, the alerts and the
 * worker's sampler all read INFO), and the four figures /api/metrics and the alerts read at
 * request time, so they are current even without the worker.
 */
import type { RedisClient } from "./connection.ts";

/** INFO's "field:value" lines as a record; section headers ("# Memory") and blank lines skipped. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export interface RedisSnapshot {
  usedMemory: number | null;
  maxMemory: number | null;
  evictedKeys: number | null;
  opsPerSec: number | null;
}

const num = (v: string | undefined) =>
  v === undefined || v === "" || Number.isNaN(Number(v)) ? null : Number(v);

/**
 * Used and max memory, evicted keys since start, ops/s. On a Cluster, INFO goes to one node;
 * the console reports that node (memory is per node).
 */
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
