/**
 * The cache: namespaces with their TTLs from configuration, one circuit breaker and one
 * statistics recorder per instance, invalidation by tag and by user across namespaces.
 *
 *   const cache = createCache();
 *   const doc = await cache.namespace("document").getOrSet(`summary:${id}`, () => db.summary(id),
 *     { tags: [`document:${id}`] });
 *   await cache.invalidateTag(`document:${id}`);
 */
import { randomUUID } from "node:crypto";
import { type Config, getConfig } from "../config.ts";
import { createRedis, type RedisClient } from "../redis/connection.ts";
import { cacheKeys, globalKeys } from "../redis/keys.ts";
import { type BreakerSnapshot, CircuitBreaker } from "./breaker.ts";
import { DeadlineQueue } from "./deadlines.ts";
import { normalizeTags } from "./entry-io.ts";
import { CacheError } from "./errors.ts";
import { CacheNamespace, type CallOptions, type GetOrSetOptions, type WriteOptions } from "./namespace.ts";
import { type NearState, NearStore } from "./near.ts";
import { StatsRecorder } from "./recorder.ts";
import { guarded, type NamespaceSettings, NEAR_MIN_TTL_SECONDS, type Runtime } from "./runtime.ts";
import { cacheScripts } from "./scripts.ts";
import { Tracking } from "./tracking.ts";
import { callKey } from "./wrap.ts";

export interface CacheOptions {
  /** default: a new fail-fast client from the configuration (closed by `close()`) */
  client?: RedisClient;
  config?: Config;
  /** extra namespaces or overrides of the built-in ones */
  namespaces?: Record<string, Partial<NamespaceSettings>>;
  /** write statistics (default true) */
  stats?: boolean;
}

export interface InvalidationResult {
  ok: boolean;
  /** namespaces whose tag version was bumped */
  namespaces: number;
}

const NAMESPACE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The built-in namespaces: the seed's data types and their TTLs. */
export function builtinNamespaces(c: Config): Record<string, Partial<NamespaceSettings>> {
  return {
    default: { ttl: c.CACHE_DEFAULT_TTL },
    user: { ttl: c.CACHE_USER_TTL, userScoped: true },
    job_status: { ttl: c.CACHE_JOB_STATUS_TTL },
    document: { ttl: c.CACHE_DOCUMENT_TTL },
    vector_search: { ttl: c.CACHE_VECTOR_SEARCH_TTL },
    graph: { ttl: c.CACHE_GRAPH_TTL },
  };
}

export class Cache {
  private readonly rt: Runtime;
  private readonly settings = new Map<string, Partial<NamespaceSettings>>();
  private readonly instances = new Map<string, CacheNamespace>();
  private readonly ownsClient: boolean;
  private readonly tracking: Tracking | undefined;

  constructor(options: CacheOptions = {}) {
    const config = options.config ?? getConfig();
    this.ownsClient = !options.client;
    const client = options.client ?? ownClient(config);
    const instanceId = randomUUID().slice(0, 12);
    const breaker = new CircuitBreaker(config.CACHE_BREAKER_FAILURES, config.CACHE_BREAKER_RESET_MS);
    const near =
      config.CACHE_ENABLED && config.CACHE_NEAR_ENABLED
        ? new NearStore(config.CACHE_NEAR_MAX_BYTES)
        : undefined;
    const global = globalKeys(config.REDIS_KEY_PREFIX);
    const recorder = new StatsRecorder(
      client,
      config.REDIS_KEY_PREFIX,
      config.CACHE_STATS_FLUSH_MS,
      () => [
        [global.cacheBreakers, instanceId, this.breakerJson()],
        ...(near ? [[global.cacheNear, instanceId, nearJson(near)] as [string, string, string]] : []),
      ],
      () => breaker.state !== "open",
    );
    this.rt = {
      client,
      scripts: cacheScripts(client),
      breaker,
      recorder,
      config,
      prefix: config.REDIS_KEY_PREFIX,
      enabled: config.CACHE_ENABLED,
      deadlines: new DeadlineQueue(config.CACHE_TIMEOUT_MS),
      instanceId,
      inflight: new Map(),
      refreshing: new Set(),
      corked: false,
      pending: 0,
      connected: client.status === "ready",
      registered: new Set(),
      near,
    };
    this.tracking = near ? new Tracking(client, near) : undefined;
    for (const [name, s] of Object.entries({ ...builtinNamespaces(config), ...options.namespaces })) {
      this.defineNamespace(name, s);
    }
    client.once("ready", () => {
      this.rt.connected = true;
    });
    if (client.status === "wait") client.connect().catch(() => {}); // a lazy client: connect now
    if (options.stats !== false) recorder.start();
  }

  get enabled(): boolean {
    return this.rt.enabled;
  }

  get prefix(): string {
    return this.rt.prefix;
  }

  get client(): RedisClient {
    return this.rt.client;
  }

  /** Adds a namespace (or changes one not used yet). TTL defaults to CACHE_DEFAULT_TTL. */
  defineNamespace(name: string, settings: Partial<NamespaceSettings> = {}): CacheNamespace {
    if (!NAMESPACE_NAME.test(name)) {
      throw new CacheError("CACHE_INVALID_NAMESPACE", `invalid namespace name ${JSON.stringify(name)}`);
    }
    this.settings.set(name, { ...this.settings.get(name), ...settings });
    this.instances.delete(name);
    return this.namespace(name);
  }

  /** A namespace by name; an unknown name gets the default settings. */
  namespace(name: string): CacheNamespace {
    let ns = this.instances.get(name);
    if (!ns) {
      if (!NAMESPACE_NAME.test(name)) {
        throw new CacheError("CACHE_INVALID_NAMESPACE", `invalid namespace name ${JSON.stringify(name)}`);
      }
      const c = this.rt.config;
      const s = this.settings.get(name) ?? {};
      ns = new CacheNamespace(
        name,
        {
          ttl: s.ttl ?? c.CACHE_DEFAULT_TTL,
          grace: s.grace ?? c.CACHE_STALE_GRACE_SECONDS,
          lock: s.lock ?? false,
          userScoped: s.userScoped ?? false,
          near: s.near ?? (s.ttl ?? c.CACHE_DEFAULT_TTL) >= NEAR_MIN_TTL_SECONDS,
          frozen: s.frozen ?? false,
        },
        this.rt,
      );
      this.instances.set(name, ns);
    }
    return ns;
  }

  // The default namespace's operations, for callers with one kind of data.
  get<T>(key: string, opts?: CallOptions) {
    return this.namespace("default").get<T>(key, opts);
  }
  set(key: string, value: unknown, opts?: WriteOptions) {
    return this.namespace("default").set(key, value, opts);
  }
  delete(key: string, opts?: CallOptions) {
    return this.namespace("default").delete(key, opts);
  }
  getOrSet<T>(key: string, loader: () => Promise<T> | T, opts?: GetOrSetOptions) {
    return this.namespace("default").getOrSet(key, loader, opts);
  }

  /**
   * Turns an async function into a cached one: the key is `<name>:<stable JSON of the
   * arguments>`, the options may depend on the arguments (tags, user).
   */
  wrap<A extends unknown[], R>(
    fn: (...args: A) => Promise<R> | R,
    opts: {
      namespace?: string;
      name?: string;
      key?: (...args: A) => string;
      options?: GetOrSetOptions | ((...args: A) => GetOrSetOptions);
    } = {},
  ): (...args: A) => Promise<R> {
    const name = opts.name ?? fn.name;
    if (!name && !opts.key)
      throw new CacheError("CACHE_INVALID_ARGUMENT", "wrap() needs a name or a key function");
    const ns = this.namespace(opts.namespace ?? "default");
    return (...args: A) => {
      const key = opts.key ? opts.key(...args) : callKey(name, args);
      const callOpts = typeof opts.options === "function" ? opts.options(...args) : opts.options;
      return ns.getOrSet(key, () => fn(...args), callOpts);
    };
  }

  /**
   * Every entry tagged with one of `tags` becomes a miss, in every namespace (or those given).
   * Costs one small script per namespace, whatever the size of the database.
   */
  async invalidateTag(
    tags: string | string[],
    opts: { namespaces?: string[] } = {},
  ): Promise<InvalidationResult> {
    const encoded = normalizeTags(Array.isArray(tags) ? tags : [tags]);
    // Namespaces only other processes wrote to are known from Redis alone: when that list could
    // not be read, the answer must not say every entry was reached.
    const listed = opts.namespaces ? { ok: true, names: opts.namespaces } : await this.knownNamespaces();
    const names = listed.names;
    const results = await Promise.all(
      names.flatMap((name) => {
        const keys = cacheKeys(name, this.rt.prefix);
        return encoded.map((t) =>
          guarded(this.rt, name, () => {
            // this process's copies go at once; other processes' when Redis tells them
            this.rt.near?.invalidate(keys.tag(t));
            return this.rt.scripts.invalidateTag(keys.meta, keys.tag(t));
          }),
        );
      }),
    );
    return { ok: listed.ok && results.every((r) => r.ok), namespaces: names.length };
  }

  /** After a change of a user's role or permissions: all of that user's entries become misses. */
  invalidateUser(userId: string): Promise<InvalidationResult> {
    return this.invalidateTag(`user:${userId}`);
  }

  /** O(1): the namespace gets a new generation; its old entries expire on their own. */
  flushNamespace(name: string): Promise<void> {
    return this.namespace(name).flush();
  }

  /** Namespaces defined here and every namespace any process has written to. */
  async listNamespaces(): Promise<string[]> {
    return (await this.knownNamespaces()).names;
  }

  /** The namespaces, and whether Redis's registry was read (else only those defined here). */
  private async knownNamespaces(): Promise<{ ok: boolean; names: string[] }> {
    const key = globalKeys(this.rt.prefix).cacheNamespaces;
    const r = await guarded(this.rt, "default", () => this.rt.client.smembers(key));
    return { ok: r.ok, names: [...new Set([...this.settings.keys(), ...(r.ok ? r.value : [])])].sort() };
  }

  /** Resolves once the client is connected (or after `timeoutMs`): useful at start-up. */
  async ready(timeoutMs = 5000): Promise<boolean> {
    const client = this.rt.client;
    if (client.status === "ready") return true;
    if (client.status === "wait") client.connect().catch(() => {});
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        client.off("ready", onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      client.once("ready", onReady);
    });
  }

  breaker(): BreakerSnapshot {
    return this.rt.breaker.snapshot();
  }

  /** Writes pending statistics now (they are otherwise written about once a second). */
  flushStats(): Promise<void> {
    return this.rt.recorder.flush();
  }

  /** The near cache's size and state in this process (undefined when CACHE_NEAR_ENABLED is off). */
  near(): NearState | undefined {
    return this.rt.near?.state();
  }

  /** Stops the statistics timer after a last flush; quits the client if the cache created it. */
  async close(): Promise<void> {
    await this.rt.recorder.stop();
    await this.tracking?.close();
    if (this.ownsClient) await this.rt.client.quit().catch(() => this.rt.client.disconnect());
  }

  private breakerJson(): string {
    const b = this.rt.breaker.snapshot();
    return JSON.stringify({ state: b.state, opens: b.opens, at: Date.now() });
  }
}

const nearJson = (near: NearStore) => JSON.stringify({ ...near.state(), at: Date.now() });

function ownClient(config: Config): RedisClient {
  const client = createRedis(config, { failFast: true, name: "requeue-cache" });
  client.on("error", () => {}); // reconnects by itself; calls fall back to loaders meanwhile
  return client;
}

export function createCache(options?: CacheOptions): Cache {
  return new Cache(options);
}
