/**
 * Statistics, recorded without a round trip per call: each call adds to in-memory counters of
 * its namespace and UTC minute, and a timer writes them about once a second in one pipeline
 * (HINCRBY into `cstats:{ns}:<minute>` hashes kept 8 days). On a Cluster it is one pipeline per
 * namespace, since each namespace's stats share a hash tag. Labels are namespace names only:
 * never a key or a user id.
 */

import type { RedisClient } from "../redis/connection.ts";
import { globalKeys, minuteOf, STATS_TTL_SECONDS } from "../redis/keys.ts";
import { withTimeout } from "./breaker.ts";
import { BUCKETS, bucketOf } from "./histogram.ts";

export type Counter =
  | "hits"
  | "misses"
  | "staleHits"
  | "errors"
  | "bypasses"
  | "loads"
  | "loaderUs"
  | "coalesced"
  | "sets"
  | "skippedWrites"
  | "timeouts"
  /** fresh hits served from process memory (the near cache), not counted in `hits` */
  | "l1Hits";

const HIST_FIELDS = Array.from({ length: BUCKETS }, (_, i) => `h${i}`);

interface Bucket {
  namespace: string;
  minute: number;
  counts: Map<string, number>;
}

export class StatsRecorder {
  private buckets = new Map<string, Bucket>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly known = new Set<string>();

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly flushMs: number,
    /** HSETs written with each flush (the breaker state, the near cache's size): [key, field, value] */
    private readonly extra: () => [string, string, string][] = () => [],
    private readonly canFlush: () => boolean = () => true,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  add(namespace: string, counter: Counter, n = 1): void {
    const counts = this.bucket(namespace).counts;
    counts.set(counter, (counts.get(counter) ?? 0) + n);
  }

  /** One call's latency against Redis, in ms. */
  latency(namespace: string, ms: number): void {
    const field = HIST_FIELDS[bucketOf(ms * 1000)];
    const counts = this.bucket(namespace).counts;
    counts.set(field, (counts.get(field) ?? 0) + 1);
  }

  /**
   * Writes what has accumulated, including what came in while an earlier write was in flight
   * (it waits for that one, then writes again). Failed writes are merged back and retried.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private last: Bucket | undefined;
  private lastEnds = 0;

  private bucket(namespace: string): Bucket {
    const now = Date.now();
    // the common case, a run of calls of one namespace within one minute, skips the map lookup
    if (this.last?.namespace === namespace && now < this.lastEnds) return this.last;
    const minute = minuteOf(now);
    const id = `${namespace}\t${minute}`;
    let b = this.buckets.get(id);
    if (!b) {
      b = { namespace, minute, counts: new Map() };
      this.buckets.set(id, b);
    }
    this.last = b;
    this.lastEnds = (minute + 1) * 60_000;
    return b;
  }

  private async write(): Promise<void> {
    if (this.buckets.size === 0 || !this.canFlush()) return;
    const pending = this.buckets;
    this.buckets = new Map();
    this.last = undefined;
    const byNamespace = new Map<string, Bucket[]>();
    for (const b of pending.values())
      byNamespace.set(b.namespace, [...(byNamespace.get(b.namespace) ?? []), b]);
    const keys = globalKeys(this.prefix);
    const groups: [string, ...unknown[]][][] = [];
    for (const list of byNamespace.values()) groups.push(list.flatMap((b) => this.commands(b)));
    const global: [string, ...unknown[]][] = [];
    const fresh = [...byNamespace.keys()].filter((ns) => !this.known.has(ns));
    if (fresh.length) global.push(["sadd", keys.cacheNamespaces, ...fresh]);
    for (const hset of this.extra()) global.push(["hset", ...hset]);
    try {
      if (this.client.isCluster) {
        // one pipeline per namespace (one slot each); the global keys live in other slots
        await Promise.all([...groups, ...global.map((c) => [c])].map((g) => this.exec(g)));
      } else {
        await this.exec([...groups.flat(), ...global]);
      }
      for (const ns of fresh) this.known.add(ns);
    } catch {
      this.mergeBack(pending);
    }
  }

  private commands(b: Bucket): [string, ...unknown[]][] {
    const keys = globalKeys(this.prefix);
    const key = keys.cacheStats(b.namespace, b.minute);
    const index = keys.cacheStatsMinutes(b.namespace);
    const cmds: [string, ...unknown[]][] = [...b.counts].map(([f, n]) => ["hincrby", key, f, Math.round(n)]);
    cmds.push(["expire", key, STATS_TTL_SECONDS]);
    cmds.push(["zadd", index, b.minute, String(b.minute)]);
    cmds.push(["zremrangebyscore", index, "-inf", `(${b.minute - STATS_TTL_SECONDS / 60}`]);
    cmds.push(["expire", index, STATS_TTL_SECONDS]);
    return cmds;
  }

  private async exec(commands: [string, ...unknown[]][]): Promise<void> {
    const results = await withTimeout(this.client.pipeline(commands as string[][]).exec(), 2000);
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error("pipeline returned nothing");
  }

  private mergeBack(pending: Map<string, Bucket>): void {
    const oldest = minuteOf(Date.now()) - 10; // give up on what could not be written for 10 minutes
    for (const [id, b] of pending) {
      if (b.minute < oldest) continue;
      const into = this.buckets.get(id);
      if (!into) this.buckets.set(id, b);
      else for (const [f, n] of b.counts) into.counts.set(f, (into.counts.get(f) ?? 0) + n);
    }
  }
}
