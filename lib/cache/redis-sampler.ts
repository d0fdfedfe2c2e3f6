/**
 * The worker's view of Redis itself, once a minute (or more often; one sample per minute is
 * kept): memory used against maxmemory, evictions, keyspace hits and misses, ops/s, and each
 * cache namespace's keys and memory, estimated from a bounded sample of its own keys
 * (a bounded SCAN of the namespace prefix, or the namespace's slot on a Cluster) — never a
 * full scan. Samples live in one sorted set (score = minute), trimmed to 8 days.
 */
import type { Redis } from "ioredis";
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { parseInfo } from "../redis/info.ts";
import { cacheKeys, globalKeys, minuteOf, STATS_TTL_SECONDS } from "../redis/keys.ts";

export interface NamespaceMemory {
  /** exact when the bounded scan covered the whole namespace, otherwise an estimate */
  keys: number;
  exact: boolean;
  sampled: number;
  avgBytes: number;
  memoryBytes: number;
}

export interface RedisSample {
  /** ms since the epoch */
  at: number;
  /** start of the UTC minute, ms */
  minute: number;
  nodes: number;
  usedMemory: number;
  /** 0 = no limit */
  maxmemory: number;
  /** usedMemory / maxmemory, null without a limit */
  memoryRatio: number | null;
  evictedKeys: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  opsPerSec: number;
  dbKeys: number;
  namespaces: Record<string, NamespaceMemory>;
}

export interface SampleOptions {
  prefix?: string;
  /** keys per namespace measured with MEMORY USAGE (default CACHE_SAMPLE_KEYS) */
  sampleKeys?: number;
  /** SCAN calls per namespace at most, each with COUNT scanCount */
  maxScanCalls?: number;
  scanCount?: number;
}

const nodesOf = (client: RedisClient): Redis[] =>
  client.isCluster
    ? (client as unknown as { nodes(role: string): Redis[] }).nodes("master")
    : [client as Redis];

const num = (v: string | undefined) => (v === undefined ? 0 : Number(v) || 0);
const dbKeysOf = (info: Record<string, string>) =>
  Object.entries(info)
    .filter(([k]) => /^db\d+$/.test(k))
    .reduce((n, [, v]) => n + num(/keys=(\d+)/.exec(v)?.[1]), 0);

async function serverFigures(nodes: Redis[]) {
  const infos = await Promise.all(nodes.map(async (n) => parseInfo(await n.info())));
  const sum = (f: string) => infos.reduce((n, i) => n + num(i[f]), 0);
  const maxmemory = sum("maxmemory");
  const usedMemory = sum("used_memory");
  return {
    nodes: nodes.length,
    usedMemory,
    maxmemory,
    memoryRatio: maxmemory > 0 ? usedMemory / maxmemory : null,
    evictedKeys: sum("evicted_keys"),
    expiredKeys: sum("expired_keys"),
    keyspaceHits: sum("keyspace_hits"),
    keyspaceMisses: sum("keyspace_misses"),
    opsPerSec: sum("instantaneous_ops_per_sec"),
    dbKeys: infos.reduce((n, i) => n + dbKeysOf(i), 0),
  };
}

/** A bounded SCAN of one prefix: how many keys matched, whether it finished, some of the keys. */
async function scanPrefix(node: Redis, pattern: string, o: Required<Omit<SampleOptions, "prefix">>) {
  let cursor = "0";
  let calls = 0;
  let matched = 0;
  const sample: string[] = [];
  do {
    const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", o.scanCount);
    calls++;
    matched += keys.length;
    for (const k of keys) if (sample.length < o.sampleKeys) sample.push(k);
    cursor = next;
  } while (cursor !== "0" && calls < o.maxScanCalls);
  return { matched, complete: cursor === "0", visited: calls * o.scanCount, sample };
}

/** On a Cluster a namespace is one slot: its key count is exact and its keys are listed directly. */
async function slotKeys(client: RedisClient, base: string, sampleKeys: number) {
  const slot = Number(await client.call("CLUSTER", "KEYSLOT", base));
  const owner = (client as unknown as { slots: string[][] }).slots[slot]?.[0];
  const node =
    nodesOf(client).find((n) => `${n.options.host}:${n.options.port}` === owner) ?? nodesOf(client)[0];
  const count = Number(await node.call("CLUSTER", "COUNTKEYSINSLOT", slot));
  const sample = (await node.call("CLUSTER", "GETKEYSINSLOT", slot, sampleKeys)) as string[];
  return { node, count, sample };
}

async function measure(node: Redis, keys: string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const pipe = node.pipeline();
  for (const k of keys) pipe.call("MEMORY", "USAGE", k);
  return ((await pipe.exec()) ?? []).map(([err, v]) => (err ? 0 : Number(v) || 0));
}

async function namespaceMemory(client: RedisClient, ns: string, dbKeys: number, o: Required<SampleOptions>) {
  const base = cacheKeys(ns, o.prefix).base;
  let node: Redis;
  let keys: number;
  let exact: boolean;
  let sample: string[];
  if (client.isCluster) {
    ({ node, count: keys, sample } = await slotKeys(client, base, o.sampleKeys));
    exact = true;
  } else {
    node = client as Redis;
    const s = await scanPrefix(node, `${base}:*`, o);
    exact = s.complete;
    keys = exact ? s.matched : Math.min(dbKeys, Math.round((s.matched * dbKeys) / Math.max(1, s.visited)));
    sample = s.sample;
  }
  const sizes = (await measure(node, sample)).filter((n) => n > 0);
  const avgBytes = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0;
  return {
    keys,
    exact,
    sampled: sizes.length,
    avgBytes: Math.round(avgBytes),
    memoryBytes: Math.round(avgBytes * keys),
  };
}

/** Takes one sample and stores it as this minute's. Returns it. */
export async function sampleRedis(client: RedisClient, opts: SampleOptions = {}): Promise<RedisSample> {
  const o: Required<SampleOptions> = {
    prefix: opts.prefix ?? getConfig().REDIS_KEY_PREFIX,
    sampleKeys: opts.sampleKeys ?? getConfig().CACHE_SAMPLE_KEYS,
    maxScanCalls: opts.maxScanCalls ?? 10,
    scanCount: opts.scanCount ?? 1000,
  };
  const at = Date.now();
  const figures = await serverFigures(nodesOf(client));
  const namespaces: Record<string, NamespaceMemory> = {};
  // stats.ts's listNamespaces, read here: stats.ts reads these samples (no import circle).
  for (const ns of (await client.smembers(globalKeys(o.prefix).cacheNamespaces)).sort()) {
    namespaces[ns] = await namespaceMemory(client, ns, figures.dbKeys, o);
  }
  const sample: RedisSample = { at, minute: minuteOf(at) * 60_000, ...figures, namespaces };
  await store(client, o.prefix, sample);
  return sample;
}

async function store(client: RedisClient, prefix: string, s: RedisSample) {
  const key = globalKeys(prefix).redisSamples;
  const minute = minuteOf(s.at);
  await client
    .multi()
    .zremrangebyscore(key, minute, minute)
    .zadd(key, minute, JSON.stringify(s))
    .zremrangebyscore(key, "-inf", `(${minute - STATS_TTL_SECONDS / 60}`)
    .expire(key, STATS_TTL_SECONDS)
    .exec();
}

export interface RedisSeriesRow extends RedisSample {
  /** change since the previous sample in the series (0 for the first) */
  evictedDelta: number;
  keyspaceHitsDelta: number;
  keyspaceMissesDelta: number;
}

/** The stored samples whose minute falls in [fromMs, toMs], oldest first, with deltas. */
export async function redisSeries(client: RedisClient, fromMs: number, toMs: number, prefix?: string) {
  const key = globalKeys(prefix ?? getConfig().REDIS_KEY_PREFIX).redisSamples;
  const raw = await client.zrangebyscore(key, minuteOf(fromMs), minuteOf(toMs));
  const samples = raw.map((j) => JSON.parse(j) as RedisSample);
  return samples.map((s, i): RedisSeriesRow => {
    const prev = samples[i - 1];
    // counters restart from zero when Redis restarts: never report a negative delta
    const delta = (f: "evictedKeys" | "keyspaceHits" | "keyspaceMisses") =>
      prev ? Math.max(0, s[f] - prev[f]) : 0;
    return {
      ...s,
      evictedDelta: delta("evictedKeys"),
      keyspaceHitsDelta: delta("keyspaceHits"),
      keyspaceMissesDelta: delta("keyspaceMisses"),
    };
  });
}

/** The newest stored sample, or null. */
export async function latestRedisSample(client: RedisClient, prefix?: string): Promise<RedisSample | null> {
  const key = globalKeys(prefix ?? getConfig().REDIS_KEY_PREFIX).redisSamples;
  const [json] = await client.zrevrange(key, 0, 0);
  return json ? (JSON.parse(json) as RedisSample) : null;
}
