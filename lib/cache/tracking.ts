/**
 * Keeps the near cache (near.ts) honest: Redis server-assisted client-side caching.
 *
 * Every connection the cache reads through gets `CLIENT TRACKING on REDIRECT <id>`: Redis
 * remembers the keys that connection read and, when one changes (any writer, a flush, an
 * expiry, an eviction), publishes its name on `__redis__:invalidate` to the client `<id>`: a
 * second connection to the same server, subscribed to that channel. ioredis 6 speaks RESP3 but
 * drops push frames other than pub/sub ones (`DataHandler.returnPush`), so the RESP3 `invalidate`
 * push never reaches us; the redirect connection speaks RESP2, where invalidations are ordinary
 * pub/sub messages.
 *
 * Standalone and Sentinel: one pair (the cache's connection, a subscriber to the server it is
 * connected to — after a failover, the new master). Cluster: one pair per master node.
 * L1 is usable only while every pair is confirmed; a lost or re-established connection on either
 * side empties it (NearStore.setUsable), and tracking is set up again.
 */
import { type Cluster, Redis } from "ioredis";
import type { RedisClient } from "../redis/connection.ts";
import type { NearStore } from "./near.ts";

const INVALIDATE_CHANNEL = "__redis__:invalidate";
const RETRY_MS = 1000;

type Address = { host: string; port: number };

/**
 * The server a connection is talking to: its configured host (a standalone server or a Cluster
 * node: the name its TLS certificate carries), or for a Sentinel client the master it reached.
 */
function addressOf(conn: Redis): Address {
  const o = conn.options;
  const stream = (conn as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
  if (o.sentinels?.length && stream?.remoteAddress && stream.remotePort)
    return { host: stream.remoteAddress, port: stream.remotePort };
  return { host: o.host ?? "127.0.0.1", port: o.port ?? 6379 };
}

/** One tracked connection and the subscriber its invalidations are redirected to. */
class TrackedLink {
  confirmed = false;
  private attempt = 0;
  private closed = false;
  private sub: Redis | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    readonly conn: Redis,
    private readonly onInvalidate: (keys: Buffer[] | null) => void,
    private readonly onChange: () => void,
  ) {
    conn.on("ready", this.setup);
    conn.on("close", this.lost);
    if (conn.status === "ready") void this.setup();
  }

  /** A new subscriber, then tracking on with it as the target; confirmed on OK. */
  private readonly setup = async () => {
    if (this.closed) return;
    const attempt = ++this.attempt;
    this.unconfirm();
    try {
      const { sub, id } = await this.subscriber();
      if (attempt !== this.attempt) return;
      await this.conn.call("CLIENT", "TRACKING", "ON", "REDIRECT", String(id));
      if (attempt !== this.attempt || sub.status !== "ready" || this.conn.status !== "ready") return;
      this.confirmed = true;
      this.onChange();
    } catch {
      if (attempt === this.attempt) this.retryLater();
    }
  };

  /** The tracked connection closed: its tracking is gone; its "ready" sets it up again. */
  private readonly lost = () => {
    this.attempt++;
    this.unconfirm();
  };

  /** The subscriber closed: invalidations may have been lost; start over with a new one. */
  private readonly subscriberLost = (sub: Redis) => {
    if (sub !== this.sub) return;
    this.attempt++;
    this.unconfirm();
    this.retryLater();
  };

  private retryLater() {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.conn.status === "ready") void this.setup();
    }, RETRY_MS);
    this.retry.unref();
  }

  private unconfirm() {
    this.confirmed = false;
    // always tell: a loss must empty L1 even if another link had already made it unusable
    if (!this.closed) this.onChange();
  }

  /**
   * A new RESP2 subscriber on the server `conn` is connected to right now (after a Sentinel
   * failover, the new master), and its client id. It never reconnects by itself: a reconnected
   * subscriber would have a new id, so a lost one is replaced (subscriberLost).
   */
  private async subscriber(): Promise<{ sub: Redis; id: number }> {
    this.sub?.disconnect();
    const at = addressOf(this.conn);
    const o = this.conn.options;
    const sub = new Redis({
      host: at.host,
      port: at.port,
      username: o.username,
      password: o.password,
      tls: o.tls,
      connectTimeout: o.connectTimeout,
      protocol: 2,
      lazyConnect: true,
      connectionName: "requeue-cache-invalidations",
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    this.sub = sub;
    sub.on("error", () => {}); // a closed subscriber is replaced; L1 is bypassed meanwhile
    sub.on("messageBuffer", (_channel: Buffer, message: unknown) =>
      this.onInvalidate(Array.isArray(message) ? (message as Buffer[]) : null),
    );
    sub.on("close", () => this.subscriberLost(sub));
    await sub.connect();
    const id = Number(await sub.client("ID"));
    await sub.subscribe(INVALIDATE_CHANNEL);
    return { sub, id };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.attempt++;
    this.confirmed = false;
    clearTimeout(this.retry);
    this.conn.off("ready", this.setup);
    this.conn.off("close", this.lost);
    const sub = this.sub;
    this.sub = undefined;
    sub?.disconnect();
    // a caller-owned client stays open: stop Redis tracking its reads for nobody
    if (this.conn.status === "ready") await this.conn.call("CLIENT", "TRACKING", "OFF").catch(() => {});
  }
}

/** Tracking for a standalone, Sentinel or Cluster client, feeding one NearStore. */
export class Tracking {
  private readonly links = new Map<Redis, TrackedLink>();

  constructor(
    private readonly client: RedisClient,
    private readonly store: NearStore,
  ) {
    if (client.isCluster) {
      const cluster = client as Cluster;
      cluster.on("+node", this.addNode);
      cluster.on("-node", this.dropNode);
      cluster.on("ready", this.update);
      for (const node of cluster.nodes("all")) this.addNode(node);
    } else {
      this.link(client as Redis);
    }
  }

  /** Drops what a set of changed keys invalidates (null: everything, e.g. FLUSHALL). */
  private readonly invalidate = (keys: Buffer[] | null) => {
    if (keys === null) this.store.invalidateAll();
    else for (const k of keys) this.store.invalidate(k.toString("utf8"));
  };

  /** L1 is usable while every connection the cache reads through has confirmed tracking. */
  private readonly update = () => {
    const conns = this.client.isCluster ? (this.client as Cluster).nodes("master") : [this.client as Redis];
    const clusterReady = !this.client.isCluster || this.client.status === "ready";
    const usable = clusterReady && conns.length > 0 && conns.every((c) => this.links.get(c)?.confirmed);
    if (usable !== this.store.usable || !usable) this.store.setUsable(usable);
  };

  private readonly addNode = (node: Redis) => {
    if (this.links.has(node)) return;
    this.link(node);
    // the pool's node connections are lazy: a master must be connected to be tracked
    if (!node.options.readOnly && node.status === "wait") node.connect().catch(() => {});
  };

  private readonly dropNode = (node: Redis) => {
    const link = this.links.get(node);
    this.links.delete(node);
    void link?.close();
    this.update();
  };

  private link(conn: Redis) {
    this.links.set(conn, new TrackedLink(conn, this.invalidate, this.update));
  }

  async close(): Promise<void> {
    if (this.client.isCluster) {
      const cluster = this.client as Cluster;
      cluster.off("+node", this.addNode);
      cluster.off("-node", this.dropNode);
      cluster.off("ready", this.update);
    }
    const links = [...this.links.values()];
    this.links.clear();
    this.store.setUsable(false);
    await Promise.all(links.map((l) => l.close()));
  }
}
