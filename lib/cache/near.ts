/**
 * The near cache (L1): fresh entries kept in this process's memory, in front of Redis (L2).
 *
 * An L1 copy is only as good as the Redis keys it was read from: the entry, the namespace's
 * generation and the version keys of the entry's tags. All three are read by the one MGET of a
 * hit on the cache's connection, which Redis tracks (`CLIENT TRACKING`, tracking.ts); any
 * change to one of them — a write, a delete, a flush, a tag invalidation, an expiry, an
 * eviction, from any process — makes Redis send its name, and `invalidate` drops every copy that
 * depends on it. Copies also leave when their TTL passes (never served stale: past the TTL
 * the Redis path handles grace and refresh) and, least recently used first, when the byte
 * budget is full. "Least recently used" is the second-chance approximation (CLOCK): a hit only
 * marks its entry, and the eviction moves a marked entry to the back once instead of dropping
 * it, so a hit costs no reordering of the map.
 *
 * The race: a read's reply and an invalidation of the same key travel on two connections, so
 * the invalidation can be handled before the reply. A read takes a `ticket` (the invalidation
 * count) when it starts; `offer` refuses the copy if any key it depends on was invalidated since
 * (or everything was: a flush, a lost connection, tracking turned on again). Recent invalidations
 * are kept in two maps that rotate, so the record stays bounded; a read older than the older map
 * is refused outright.
 *
 * While tracking is not confirmed (`usable` false) nothing is served or stored: Redis's own
 * rule for client-side caching.
 */

import { cloneJson } from "./frozen.ts";

export interface NearEntry {
  namespace: string;
  /**
   * The JSON text as read from Redis, until the first hit parses it into `value` (so a Redis hit
   * that offers its reply pays for no copy; most offered entries may never be hit).
   */
  text: string | undefined;
  /**
   * The value. Never handed out as is unless `shared`: each hit gets its own copy (cloneJson,
   * about 3× cheaper than parsing the JSON again), so callers never share an object.
   */
  value: unknown;
  /** a `frozen` namespace's deep-frozen value, the same object for every hit */
  shared: boolean;
  freshUntil: number;
  bytes: number;
  /** Redis keys besides the entry's own whose change invalidates it (generation, tag versions) */
  deps: readonly string[];
  /** read since it was kept or last spared: the eviction spares it once (second chance) */
  used: boolean;
}

/** Bytes charged per entry on top of its strings: map slots, the entry object, the index sets. */
const ENTRY_OVERHEAD = 160;
const DEP_OVERHEAD = 48;
/** One entry may use at most this share of the budget (a huge value would flush everything else). */
const MAX_ENTRY_SHARE = 8;

export interface NearState {
  bytes: number;
  maxBytes: number;
  entries: number;
  /** tracking confirmed: L1 serves and stores */
  usable: boolean;
  namespaces: Record<string, { bytes: number; entries: number }>;
}

export class NearStore {
  /** entry key → copy; Map order is the eviction order (oldest first, see `used`) */
  private readonly entries = new Map<string, NearEntry>();
  /** dependency key (generation, tag version) → entry keys depending on it */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly perNamespace = new Map<string, { bytes: number; entries: number }>();
  private bytes = 0;
  private usableNow = false;

  /** invalidations handled so far: a read's ticket */
  private seq = 0;
  /** no copy read with a ticket below this may be stored (everything was invalidated) */
  private floor = 0;
  private recent = new Map<string, number>();
  private older = new Map<string, number>();
  /** the seq at which `recent` began; `older` began at olderFrom */
  private recentFrom = 0;
  private olderFrom = 0;
  private rotatedAt = Date.now();

  constructor(
    readonly maxBytes: number,
    private readonly rotateMs = 1000,
  ) {}

  get usable(): boolean {
    return this.usableNow;
  }

  /** Tracking is confirmed (true) or lost (false); either way what was kept is dropped. */
  setUsable(usable: boolean): void {
    this.usableNow = usable;
    this.invalidateAll();
  }

  /** The ticket a read takes when it starts; -1: do not store what it reads. */
  ticket(): number {
    return this.usableNow ? this.seq : -1;
  }

  /** A fresh copy, or undefined. */
  lookup(key: string, now?: number): NearEntry | undefined {
    if (!this.usableNow) return undefined;
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.freshUntil < (now ?? Date.now())) {
      this.remove(key, e);
      return undefined;
    }
    e.used = true;
    return e;
  }

  /** What a hit on `e` returns: the shared frozen value, or a copy of its own for this caller. */
  valueOf(e: NearEntry): unknown {
    if (e.shared) return e.value;
    if (e.text !== undefined) {
      e.value = JSON.parse(e.text);
      e.text = undefined;
    }
    return cloneJson(e.value);
  }

  /** Whether a copy of `key` is kept (tests and tools). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Keeps a copy read with `ticket`, unless one of its keys was invalidated since: the value's
   * JSON `text`, or for a `frozen` namespace the deep-frozen value itself (`shared`; the text
   * still sizes it).
   */
  offer(
    ticket: number,
    key: string,
    namespace: string,
    text: string,
    freshUntil: number,
    deps: readonly string[],
    shared?: { value: unknown },
  ): boolean {
    if (ticket < 0 || !this.usableNow || ticket < this.floor || ticket < this.olderFrom) return false;
    // ticket === seq: nothing at all was invalidated since the read began (the common case)
    if (ticket !== this.seq && this.changedSinceAny(key, deps, ticket)) return false;
    const bytes = ENTRY_OVERHEAD + 2 * (key.length + text.length) + DEP_OVERHEAD * deps.length;
    if (bytes > this.maxBytes / MAX_ENTRY_SHARE) return false;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    const e: NearEntry = {
      namespace,
      text: shared ? undefined : text,
      value: shared?.value,
      shared: shared !== undefined,
      freshUntil,
      bytes,
      deps,
      used: false,
    };
    this.entries.set(key, e);
    for (const d of deps) {
      const set = this.dependents.get(d);
      if (set) set.add(key);
      else this.dependents.set(d, new Set([key]));
    }
    this.account(namespace, bytes, 1);
    this.evict(key);
    return true;
  }

  /** A Redis key changed: drop the copy stored under it and every copy that depends on it. */
  invalidate(key: string): void {
    this.seq++;
    const now = Date.now();
    if (now - this.rotatedAt >= this.rotateMs) this.rotate(now);
    this.recent.set(key, this.seq);
    const own = this.entries.get(key);
    if (own) this.remove(key, own);
    const set = this.dependents.get(key);
    if (set) for (const k of [...set]) this.remove(k, this.entries.get(k)!);
  }

  /** Everything changed (a FLUSHALL, a lost connection): drop all, refuse reads in flight. */
  invalidateAll(): void {
    this.seq++;
    this.floor = this.seq;
    this.entries.clear();
    this.dependents.clear();
    this.perNamespace.clear();
    this.bytes = 0;
  }

  state(): NearState {
    return {
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      entries: this.entries.size,
      usable: this.usableNow,
      namespaces: Object.fromEntries(this.perNamespace),
    };
  }

  /**
   * Oldest first, but an entry read since it was kept (or last spared) is spared once; so is the
   * copy just kept (`kept`), which only comes first when every older one was spared.
   */
  private evict(kept: string): void {
    while (this.bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, NearEntry];
      const spare = entry.used || oldest === kept;
      if (oldest === kept) kept = ""; // once
      if (spare) {
        entry.used = false;
        this.entries.delete(oldest);
        this.entries.set(oldest, entry);
      } else this.remove(oldest, entry);
    }
  }

  private changedSince(key: string, ticket: number): boolean {
    return (this.recent.get(key) ?? this.older.get(key) ?? 0) > ticket;
  }

  private changedSinceAny(key: string, deps: readonly string[], ticket: number): boolean {
    if (this.changedSince(key, ticket)) return true;
    for (const d of deps) if (this.changedSince(d, ticket)) return true;
    return false;
  }

  private rotate(now: number): void {
    this.older = this.recent;
    this.olderFrom = this.recentFrom;
    this.recent = new Map();
    this.recentFrom = this.seq;
    this.rotatedAt = now;
  }

  private remove(key: string, e: NearEntry): void {
    this.entries.delete(key);
    for (const d of e.deps) {
      const set = this.dependents.get(d);
      if (!set) continue;
      set.delete(key);
      if (set.size === 0) this.dependents.delete(d);
    }
    this.account(e.namespace, -e.bytes, -1);
  }

  private account(namespace: string, bytes: number, entries: number): void {
    this.bytes += bytes;
    let n = this.perNamespace.get(namespace);
    if (n === undefined) {
      n = { bytes: 0, entries: 0 };
      this.perNamespace.set(namespace, n);
    }
    n.bytes += bytes;
    n.entries += entries;
    if (n.entries === 0) this.perNamespace.delete(namespace);
  }
}
