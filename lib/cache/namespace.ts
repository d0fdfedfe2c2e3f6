/**
 * One cache namespace: get, set, delete, getOrSet and flush, with its TTL and options.
 *
 * getOrSet, the path most callers take:
 *   read (one MGET) ─ fresh hit ──────────────▶ value
 *        ├─ stale hit (within grace) ─▶ value, and one caller refreshes it in the background
 *        ├─ miss ─▶ a load of this key already running in this process? join it (single-flight)
 *        │        └─ else (with `lock`) another process loading? wait briefly for its value
 *        │           └─ load, write (skipped if the namespace or a tag changed meanwhile) ─▶ value
 *        └─ Redis error, timeout or open breaker ─▶ the loader's value, never the error
 */
import { performance } from "node:perf_hooks";
import { type CacheKeys, cacheKeys, globalKeys } from "../redis/keys.ts";
import { bodyText, encode, findSecretFields, type Header } from "./codec.ts";
import {
  type HitReply,
  interpretEntry,
  interpretTags,
  type NearTicket,
  normalizeTags,
  type ReadReply,
  requestEntry,
  requestTags,
  type UncheckedTags,
  writeEntry,
} from "./entry-io.ts";
import { CacheError } from "./errors.ts";
import { deepFreeze } from "./frozen.ts";
import type { NearStore } from "./near.ts";
import { type Guarded, guarded, type NamespaceSettings, type Runtime, unavailable } from "./runtime.ts";
import { entryKeyOf, isWellFormed } from "./wrap.ts";

export interface CallOptions {
  /** the user or tenant the entry belongs to: it is part of the key, and tagged `user:<id>` */
  user?: string;
}

export interface WriteOptions extends CallOptions {
  /** seconds; default the namespace's TTL */
  ttl?: number;
  /** seconds an entry may be served stale while refreshed; default the namespace's grace */
  grace?: number;
  tags?: string[];
  /** store a value even if it has fields that look like secrets */
  allowSecrets?: boolean;
}

export interface GetOrSetOptions extends WriteOptions {
  /** cross-process lock on a miss; default the namespace's setting */
  lock?: boolean;
}

let tokens = 0;

/** nearHit's answer when L1 has no copy (a cached value can be null, so a marker of its own) */
const NOT_NEAR = Symbol("not in the near cache");

/** The reply of a read that needs no second step (the common case), without another await. */
const ready = (r: Guarded<ReadReply | UncheckedTags>) =>
  r.ok && r.value.hit !== "unchecked" ? r.value : undefined;

export class CacheNamespace {
  readonly keys: CacheKeys;
  /** the near cache, if this namespace uses it */
  private readonly near: NearStore | undefined;
  /** what an untagged entry's L1 copy depends on besides itself (one array for all of them) */
  private readonly generationOnly: readonly string[];

  constructor(
    readonly name: string,
    readonly settings: NamespaceSettings,
    private readonly rt: Runtime,
  ) {
    this.keys = cacheKeys(name, rt.prefix);
    this.near = settings.near ? rt.near : undefined;
    this.generationOnly = [this.keys.generation];
  }

  /** The value, or undefined on a miss, a stale entry, an error or when the cache is disabled. */
  async get<T>(key: string, opts: CallOptions = {}): Promise<T | undefined> {
    if (!this.rt.enabled) return this.bypass();
    const entry = this.entryKey(key, opts.user);
    const near = this.nearHit(entry);
    if (near !== NOT_NEAR) return near as T;
    // a user-scoped entry carries its user's tag: naming it saves the second MGET
    const r = await this.read(entry, this.tagsOf(opts));
    const reply = ready(r) ?? (await this.replyOf(r));
    if (reply === null) return undefined;
    let value: T | undefined;
    const now = Date.now();
    if (reply.hit && reply.header.freshUntil >= now) {
      try {
        value = this.decodeHit<T>(reply, now);
      } catch {
        value = undefined; // an unreadable body: a miss
      }
    }
    this.rt.recorder.add(this.name, value === undefined ? "misses" : "hits");
    return value;
  }

  /** Stores a value. Resolves false if Redis failed; throws CACHE_SECRET_REFUSED for secrets. */
  async set(key: string, value: unknown, opts: WriteOptions = {}): Promise<boolean> {
    if (!this.rt.enabled) return false;
    return this.write(this.entryKey(key, opts.user), value, opts);
  }

  /** Deletes one entry. Throws CACHE_UNAVAILABLE / CACHE_CIRCUIT_OPEN if Redis could not be asked. */
  async delete(key: string, opts: CallOptions = {}): Promise<boolean> {
    if (!this.rt.enabled) return false;
    const entry = this.entryKey(key, opts.user);
    const r = await guarded(this.rt, this.name, () => {
      this.near?.invalidate(entry);
      return this.rt.client.del(entry);
    });
    if (!r.ok) throw unavailable(r);
    return r.value > 0;
  }

  /** Every entry of the namespace becomes a miss at once (O(1): a new generation). */
  async flush(): Promise<void> {
    const r = await guarded(this.rt, this.name, () => {
      this.near?.invalidate(this.keys.generation);
      return this.rt.client.incr(this.keys.generation);
    });
    if (!r.ok) throw unavailable(r);
  }

  async getOrSet<T>(key: string, loader: () => Promise<T> | T, opts: GetOrSetOptions = {}): Promise<T> {
    if (!this.rt.enabled) {
      this.rt.recorder.add(this.name, "bypasses");
      return this.load(loader);
    }
    const entry = this.entryKey(key, opts.user);
    const near = this.nearHit(entry);
    if (near !== NOT_NEAR) return near as T;
    const joined = this.rt.inflight.get(entry) as Promise<T> | undefined;
    if (joined) return this.join(joined);
    const tags = this.tagsOf(opts);
    const r = await this.read(entry, tags);
    const reply = ready(r) ?? (await this.replyOf(r));
    if (reply === null) return this.load(loader);
    if (reply.hit) {
      const served = this.serve<T>(reply, entry, loader, opts, tags);
      if (served) return served.value;
    } else this.rt.recorder.add(this.name, "misses");
    const again = this.rt.inflight.get(entry) as Promise<T> | undefined;
    if (again) return this.join(again);
    const expected = reply.hit ? undefined : { generation: reply.generation, versions: reply.versions };
    const locked = (opts.lock ?? this.settings.lock) && !reply.hit;
    return this.singleFlight(entry, async () => {
      if (!locked) return this.loadAndWrite(entry, loader, opts, tags, expected, "");
      const token = await this.tryLock(entry);
      if (token !== null) return this.loadAndWrite(entry, loader, opts, tags, expected, token);
      const theirs = await this.waitForOtherLoader<T>(entry, tags);
      if (theirs) return theirs.value;
      return this.loadAndWrite(entry, loader, opts, tags, expected, "");
    });
  }

  /** The full Redis key of an entry (for tests and tools; never logged). */
  entryKey(key: string, user?: string): string {
    if (this.settings.userScoped && user === undefined) {
      throw new CacheError("CACHE_INVALID_ARGUMENT", `namespace ${this.name} is user-scoped: pass { user }`);
    }
    const k = entryKeyOf(key);
    if (user !== undefined && (typeof user !== "string" || user.length === 0 || !isWellFormed(user))) {
      throw new CacheError("CACHE_INVALID_ARGUMENT", "user must be a non-empty, well-formed string");
    }
    return user === undefined ? this.keys.entry(k) : this.keys.userEntry(encodeURIComponent(user), k);
  }

  /** Whether this process holds the entry in its near cache (tests and tools). */
  inNear(key: string, opts: CallOptions = {}): boolean {
    return this.near?.has(this.entryKey(key, opts.user)) ?? false;
  }

  private tagsOf(opts: WriteOptions): string[] {
    const tags = opts.tags ?? [];
    return normalizeTags(opts.user === undefined ? tags : [...tags, `user:${opts.user}`]);
  }

  /** A fresh hit, or a stale one inside its grace period (then refreshed in the background). */
  private serve<T>(
    reply: HitReply,
    entry: string,
    loader: () => Promise<T> | T,
    opts: GetOrSetOptions,
    tags: string[],
  ): { value: T } | null {
    let value: T;
    // one clock read for both "fresh": L1's offer and this answer (Date.now is not free on a VM)
    const now = Date.now();
    try {
      value = this.decodeHit<T>(reply, now);
    } catch {
      this.rt.recorder.add(this.name, "errors");
      return null;
    }
    if (reply.header.freshUntil >= now) {
      this.rt.recorder.add(this.name, "hits");
      return { value };
    }
    if ((opts.grace ?? this.settings.grace) <= 0) return null; // past its TTL: a miss
    this.rt.recorder.add(this.name, "staleHits");
    if (!this.rt.refreshing.has(entry)) void this.refresh(entry, loader, opts, tags).catch(() => {});
    return { value };
  }

  /** One process-wide refresh of a stale entry, behind the cross-process lock. */
  private async refresh<T>(entry: string, loader: () => Promise<T> | T, opts: WriteOptions, tags: string[]) {
    this.rt.refreshing.add(entry);
    try {
      const token = await this.tryLock(entry);
      if (token !== null) await this.loadAndWrite(entry, loader, opts, tags, undefined, token);
    } finally {
      this.rt.refreshing.delete(entry);
    }
  }

  /** The short cross-process lock of an entry: its token, or null if another process holds it. */
  private async tryLock(entry: string): Promise<string | null> {
    const token = `${this.rt.instanceId}:${++tokens}`;
    const lock = this.keys.lock(entry);
    const ms = this.rt.config.CACHE_LOCK_MS;
    const got = await guarded(this.rt, this.name, () => this.rt.client.set(lock, token, "PX", ms, "NX"));
    // Redis unreachable: no lock to be had, load without one
    if (!got.ok) return "";
    return got.value === "OK" ? token : null;
  }

  private async waitForOtherLoader<T>(entry: string, tags: string[]): Promise<{ value: T } | null> {
    const deadline = Date.now() + this.rt.config.CACHE_LOCK_WAIT_MS;
    const step = Math.max(5, Math.min(50, this.rt.config.CACHE_LOCK_WAIT_MS / 8));
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, step));
      const reply = await this.replyOf(await this.read(entry, tags));
      if (reply === null) return null;
      if (reply.hit) return { value: this.decodeHit<T>(reply) };
    }
    return null;
  }

  private async loadAndWrite<T>(
    entry: string,
    loader: () => Promise<T> | T,
    opts: WriteOptions,
    tags: string[],
    expected: { generation: string; versions: string[] } | undefined,
    token: string,
  ): Promise<T> {
    const value = await this.load(loader);
    await this.write(entry, value, opts, tags, expected, token);
    return value;
  }

  private async write(
    entry: string,
    value: unknown,
    opts: WriteOptions,
    tags = this.tagsOf(opts),
    expected?: { generation: string; versions: string[] },
    token?: string,
  ): Promise<boolean> {
    if (value === undefined) return false;
    this.refuseSecrets(value, opts);
    const ttl = opts.ttl ?? this.settings.ttl;
    const grace = opts.grace ?? this.settings.grace;
    const encoded = encode(value, Date.now() + ttl * 1000, this.rt.config.CACHE_COMPRESS_THRESHOLD_BYTES);
    const lifetimeMs = Math.max(1, Math.ceil((ttl + grace) * 1000));
    await this.register();
    const r = await guarded(this.rt, this.name, () => {
      // this process's copy goes before the write is sent (reads in flight cannot store it back)
      this.near?.invalidate(entry);
      return writeEntry(this.rt.scripts, this.keys, { entry, encoded, lifetimeMs, tags, expected, token });
    });
    if (r.ok) this.rt.recorder.add(this.name, r.value ? "sets" : "skippedWrites");
    return r.ok && r.value;
  }

  private refuseSecrets(value: unknown, opts: WriteOptions) {
    if (opts.allowSecrets) return;
    const found = findSecretFields(value, this.rt.config.CACHE_SECRET_FIELDS);
    if (found.length) {
      throw new CacheError(
        "CACHE_SECRET_REFUSED",
        `refusing to cache a value of namespace ${this.name} with secret-looking fields (${found.join(", ")}); ` +
          "remove them or pass { allowSecrets: true }",
      );
    }
  }

  /** The namespace joins the registry before its first write, so tag invalidation reaches it. */
  private async register() {
    if (this.rt.registered.has(this.name)) return;
    const key = globalKeys(this.rt.prefix).cacheNamespaces;
    const r = await guarded(this.rt, this.name, () => this.rt.client.sadd(key, this.name));
    if (r.ok) this.rt.registered.add(this.name);
  }

  /**
   * One read under the guard, its reply interpreted in the same step: on a hit every promise
   * hop shows in the latency. Take the reply with `ready(r) ?? (await this.replyOf(r))`.
   */
  private read(entry: string, tags: string[]): Promise<Guarded<ReadReply | UncheckedTags>> {
    const started = performance.now();
    const ticket = this.near ? this.nearTicket() : -1;
    return guarded(
      this.rt,
      this.name,
      () => requestEntry(this.rt.client, this.keys, entry, tags),
      (reply) => {
        this.rt.recorder.latency(this.name, performance.now() - started);
        const r = interpretEntry(reply, tags);
        // a hit is offered to L1 once decoded (decodeHit), with this read's ticket
        if (ticket >= 0 && r.hit !== false) r.near = { ticket, entry };
        return r;
      },
    );
  }

  /** A fresh copy from process memory (the near cache), counted apart from Redis hits; else NOT_NEAR. */
  private nearHit(entry: string): unknown {
    if (this.near === undefined || this.rt.breaker.state !== "closed") return NOT_NEAR;
    const e = this.near.lookup(entry);
    if (e === undefined) return NOT_NEAR;
    this.rt.recorder.add(this.name, "l1Hits");
    // a private copy per caller, unless the namespace shares one frozen value
    return this.near.valueOf(e);
  }

  /** L1 stores what a read returns only while Redis is healthy (breaker closed) and tracking is on. */
  private nearTicket(): number {
    return this.rt.breaker.state === "closed" ? this.near!.ticket() : -1;
  }

  /**
   * The value of a Redis hit (deep-frozen in a `frozen` namespace). A fresh hit read for L1 is
   * offered to it: it depends on the entry, the generation and the entry's tag versions.
   */
  private decodeHit<T>(reply: HitReply, now = Date.now()): T {
    const h = reply.header;
    const text = bodyText(reply.raw, h);
    const value = JSON.parse(text) as T;
    if (this.settings.frozen) deepFreeze(value);
    const near = reply.near;
    if (near !== undefined && h.freshUntil >= now) this.keepNear(near, text, h, value);
    return value;
  }

  /** L1 keeps the frozen value itself, or else the text (the caller may change `value`). */
  private keepNear(near: NearTicket, text: string, h: Header, value: unknown): void {
    let deps = this.generationOnly;
    if (h.tags.length > 0) {
      const withTags = [this.keys.generation];
      for (const [tag] of h.tags) withTags.push(this.keys.tag(tag));
      deps = withTags;
    }
    const shared = this.settings.frozen ? { value } : undefined;
    this.near!.offer(near.ticket, near.entry, this.name, text, h.freshUntil, deps, shared);
  }

  /** The read's outcome: null when Redis failed; an entry with unnamed tags costs a second MGET. */
  private async replyOf(r: Guarded<ReadReply | UncheckedTags>): Promise<ReadReply | null> {
    if (!r.ok) return null;
    const u = r.value;
    if (u.hit !== "unchecked") return u;
    const checked = await guarded(
      this.rt,
      this.name,
      () => requestTags(this.rt.client, this.keys, u),
      (current) => interpretTags(u, current),
    );
    if (!checked.ok) return null;
    const reply = checked.value;
    if (reply.hit) reply.near = u.near;
    return reply;
  }

  private async load<T>(loader: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await loader();
    } finally {
      this.rt.recorder.add(this.name, "loads");
      this.rt.recorder.add(this.name, "loaderUs", (performance.now() - started) * 1000);
    }
  }

  private singleFlight<T>(entry: string, run: () => Promise<T>): Promise<T> {
    const p: Promise<T> = run().finally(() => {
      if (this.rt.inflight.get(entry) === p) this.rt.inflight.delete(entry);
    });
    this.rt.inflight.set(entry, p);
    return p;
  }

  private join<T>(p: Promise<T>): Promise<T> {
    this.rt.recorder.add(this.name, "coalesced");
    return p;
  }

  private bypass(): undefined {
    this.rt.recorder.add(this.name, "bypasses");
    return undefined;
  }
}
