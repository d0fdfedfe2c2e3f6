/**
 * The cache's Lua scripts (lib/redis/lua/cache/), for writes and invalidation. Each runs on one
 * namespace's keys (one hash tag, one Cluster slot). Reads need no script: one MGET (entry-io.ts).
 */
import type { RedisClient } from "../redis/connection.ts";
import { scriptSet } from "../redis/scripts.ts";

const scripts = scriptSet<"write" | "invalidateTag">("cache", { commandPrefix: "rqc_" });

type Args = (string | number | Buffer)[];

/** The scripts bound to one client. */
export interface CacheScripts {
  /** write-4+.lua: KEYS entry, generation, meta, lock, then one version key per tag */
  write(keys: string[], args: Args): Promise<unknown>;
  /** invalidateTag-2.lua: returns the tag's new version */
  invalidateTag(meta: string, tag: string): Promise<unknown>;
}

export function cacheScripts(client: RedisClient): CacheScripts {
  return {
    write: (keys, args) => scripts.run(client, "write", keys, args),
    invalidateTag: (meta, tag) => scripts.run(client, "invalidateTag", [meta, tag], []),
  };
}
