/**
 * The cache's Lua scripts (lib/redis/lua/cache/), for writes and invalidation. Each runs on one
 * namespace's keys (one hash tag, one Cluster slot). Reads need no script: one MGET (entry-io.ts).
 */
import type { RedisClient } from "../redis/connection.ts";
import { type ScriptSet, scriptSet } from "../redis/scripts.ts";

type CacheScript = "write" | "invalidateTag";
const scripts = scriptSet<CacheScript>("cache", { commandPrefix: "rqc_" });

/** The set's scripts, expanded, and its constants: scripts/export-lua.ts indexes them for the Python client. */
export const cacheScriptSet: Pick<ScriptSet<CacheScript>, "all" | "constants"> = scripts;

/** The scripts bound to one client (KEYS and ARGV: the headers of their files). */
export interface CacheScripts {
  write(keys: string[], args: (string | number | Buffer)[]): Promise<unknown>;
  invalidateTag(meta: string, tag: string): Promise<unknown>;
}

export function cacheScripts(client: RedisClient): CacheScripts {
  return {
    write: (keys, args) => scripts.run(client, "write", keys, args),
    invalidateTag: (meta, tag) => scripts.run(client, "invalidateTag", [meta, tag], []),
  };
}
