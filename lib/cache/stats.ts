/**
 * Reading the cache statistics, for the console and the API: per-minute series of one
 * namespace or all, the namespaces in use, a per-namespace summary, and the circuit breaker
 * state of each cache instance. Kept apart from the hot path, which only writes (recorder.ts).
 */
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys, minuteOf } from "../redis/keys.ts";
import { percentileMs } from "./histogram.ts";
import { latestRedisSample } from "./redis-sampler.ts";

export interface CacheSeriesRow {
  /** start of the UTC minute, ms since the epoch */
  minute: number;
  hits: number;
  /** fresh hits served from a process's memory (the near cache), not in `hits` */
  l1Hits: number;
  misses: number;
  staleHits: number;
  errors: number;
  bypasses: number;
  timeouts: number;
  /** callers that joined a load already running in their process */
  coalesced: number;
  loads: number;
  /** time spent in loaders, ms */
  loaderMs: number;
  /** latency of the Redis read, ms */
  p50: number;
  p95: number;
  p99: number;
}

const COUNTERS = [
  "hits",
  "l1Hits",
  "misses",
  "staleHits",
  "errors",
  "bypasses",
  "timeouts",
  "coalesced",
  "loads",
] as const;
const MAX_ROWS = 8 * 24 * 60;
const prefixOf = (p?: string) => p ?? getConfig().REDIS_KEY_PREFIX;

interface Raw {
  counts: Map<string, number>;
  hist: Map<number, number>;
}

/** The hashes of `namespace` for the minutes in [fromMin, toMin] that have data. */
async function readMinutes(client: RedisClient, prefix: string, ns: string, fromMin: number, toMin: number) {
  const keys = globalKeys(prefix);
  const minutes = (await client.zrangebyscore(keys.cacheStatsMinutes(ns), fromMin, toMin)).map(Number);
  if (minutes.length === 0) return new Map<number, Record<string, string>>();
  const pipe = client.pipeline();
  for (const m of minutes) pipe.hgetall(keys.cacheStats(ns, m));
  const results = (await pipe.exec()) ?? [];
  return new Map(minutes.map((m, i) => [m, (results[i]?.[1] ?? {}) as Record<string, string>]));
}

/** The counters and latency histograms of `hashes` summed (a missing hash adds nothing). */
function sumHashes(hashes: Iterable<Record<string, string> | undefined>): Raw {
  const raw: Raw = { counts: new Map(), hist: new Map() };
  for (const hash of hashes) {
    for (const [field, value] of Object.entries(hash ?? {})) {
      const n = Number(value);
      if (field[0] === "h" && /^h\d+$/.test(field))
        raw.hist.set(Number(field.slice(1)), (raw.hist.get(Number(field.slice(1))) ?? 0) + n);
      else raw.counts.set(field, (raw.counts.get(field) ?? 0) + n);
    }
  }
  return raw;
}

function toRow(minute: number, raw: Raw): CacheSeriesRow {
  const row = { minute: minute * 60_000 } as CacheSeriesRow;
  for (const c of COUNTERS) row[c] = raw.counts.get(c) ?? 0;
  row.loaderMs = (raw.counts.get("loaderUs") ?? 0) / 1000;
  row.p50 = percentileMs(raw.hist, 0.5);
  row.p95 = percentileMs(raw.hist, 0.95);
  row.p99 = percentileMs(raw.hist, 0.99);
  return row;
}

/**
 * One row per UTC minute in [fromMs, toMs] (minutes without data are zeros), for one namespace
 * or summed over all ("all"). Percentiles of "all" come from the summed histograms.
 */
export async function cacheSeries(
  client: RedisClient,
  namespace: string | "all",
  fromMs: number,
  toMs: number,
  prefix?: string,
): Promise<CacheSeriesRow[]> {
  const p = prefixOf(prefix);
  const toMin = minuteOf(toMs);
  const fromMin = Math.max(minuteOf(fromMs), toMin - MAX_ROWS + 1);
  const names = namespace === "all" ? await listNamespaces(client, p) : [namespace];
  const perNs = await Promise.all(names.map((ns) => readMinutes(client, p, ns, fromMin, toMin)));
  const rows: CacheSeriesRow[] = [];
  for (let m = fromMin; m <= toMin; m++) rows.push(toRow(m, sumHashes(perNs.map((data) => data.get(m)))));
  return rows;
}

/** Every namespace any cache instance has written to, sorted. */
export async function listNamespaces(client: RedisClient, prefix?: string): Promise<string[]> {
  return (await client.smembers(globalKeys(prefixOf(prefix)).cacheNamespaces)).sort();
}

export interface NamespaceSummary {
  namespace: string;
  hits: number;
  /** hits served from the near cache (L1), apart from `hits` (Redis) */
  l1Hits: number;
  misses: number;
  staleHits: number;
  errors: number;
  bypasses: number;
  /** (hits + l1Hits + staleHits) / (those + misses); null without lookups */
  hitRate: number | null;
  /** loader time the hits saved: hits × average loader time, ms */
  /** hits × the average loader time of the window: the source's time the cache saved (null without loads) */
  savedLoaderMs: number | null;
  p99: number;
  /** from the worker's latest Redis sample; null until it has sampled */
  keys: number | null;
  memoryBytes: number | null;
  sampledAt: number | null;
}

/** Per namespace over the last `windowMs` (default one hour): hit rate, keys and approximate memory. */
export async function namespaceSummary(
  client: RedisClient,
  opts: { windowMs?: number; prefix?: string } = {},
): Promise<NamespaceSummary[]> {
  const p = prefixOf(opts.prefix);
  const now = Date.now();
  const from = now - (opts.windowMs ?? 3_600_000);
  const [names, sample] = await Promise.all([listNamespaces(client, p), latestRedisSample(client, p)]);
  return Promise.all(
    names.map(async (namespace) => {
      const minutes = await readMinutes(client, p, namespace, minuteOf(from), minuteOf(now));
      const row = toRow(0, sumHashes(minutes.values()));
      const served = row.hits + row.l1Hits + row.staleHits;
      const lookups = served + row.misses;
      const mem = sample?.namespaces[namespace];
      return {
        namespace,
        hits: row.hits,
        l1Hits: row.l1Hits,
        misses: row.misses,
        staleHits: row.staleHits,
        errors: row.errors,
        bypasses: row.bypasses,
        hitRate: lookups ? served / lookups : null,
        // each hit spared one loader call of the hour's average duration (unknown without loads)
        savedLoaderMs: row.loads ? ((row.hits + row.l1Hits) * row.loaderMs) / row.loads : null,
        p99: row.p99,
        keys: mem?.keys ?? null,
        memoryBytes: mem?.memoryBytes ?? null,
        sampledAt: mem ? sample!.at : null,
      };
    }),
  );
}

export interface BreakerReport {
  instance: string;
  state: "closed" | "open" | "half-open";
  opens: number;
  at: number;
}

/** Which instance reports to read: those of the last `maxAgeMs` (default 60 s), under `prefix`. */
interface ReportOptions {
  maxAgeMs?: number;
  prefix?: string;
}

/** The breaker state each live cache instance reported in the last `maxAgeMs` (default 60 s). */
export function breakerStates(client: RedisClient, opts: ReportOptions = {}) {
  const key = globalKeys(prefixOf(opts.prefix)).cacheBreakers;
  return instanceReports<Omit<BreakerReport, "instance">>(client, key, opts);
}

/** One process's near cache (L1), as it last reported it (with its statistics, about once a second). */
export interface NearReport {
  instance: string;
  bytes: number;
  maxBytes: number;
  entries: number;
  /** tracking confirmed: L1 serving */
  usable: boolean;
  namespaces: Record<string, { bytes: number; entries: number }>;
  at: number;
}

/** The near cache of each live cache instance that has one (reported in the last `maxAgeMs`, default 60 s). */
export function nearStates(client: RedisClient, opts: ReportOptions = {}) {
  const key = globalKeys(prefixOf(opts.prefix)).cacheNear;
  return instanceReports<Omit<NearReport, "instance">>(client, key, opts);
}

/** Reports in a hash instance → JSON: the recent ones; those silent for a day are deleted. */
async function instanceReports<R extends { at: number }>(
  client: RedisClient,
  key: string,
  opts: ReportOptions,
): Promise<(R & { instance: string })[]> {
  const all = await client.hgetall(key);
  const cutoff = Date.now() - (opts.maxAgeMs ?? 60_000);
  const reports: (R & { instance: string })[] = [];
  const gone: string[] = [];
  for (const [instance, json] of Object.entries(all)) {
    const r = JSON.parse(json) as R;
    if (r.at >= cutoff) reports.push({ instance, ...r });
    else if (r.at < Date.now() - 86_400_000) gone.push(instance);
  }
  if (gone.length) await client.hdel(key, ...gone);
  return reports;
}
