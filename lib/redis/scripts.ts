/**
 * The one loader for Requeue's Lua scripts, kept one per file as `<name>-<numkeys>.lua` (BullMQ's
 * habit): the number of keys is read from the file name, so TypeScript never keeps a second copy.
 * `--@include <file>` pulls a helper from the folder's includes/, and `__NAME__` placeholders take
 * constants the module passes in.
 *
 * Scripts are read on first use (not at import) and defined on each client with defineCommand, so
 * ioredis sends EVALSHA and falls back to EVAL when the server does not know them (after a restart,
 * or on a Cluster node that has not seen them). lib/queue and lib/dlq each build a ScriptSet.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "./connection.ts";

export interface LuaScript {
  name: string;
  numberOfKeys: number;
  lua: string;
  sha: string;
}

type Args = (string | number | Buffer)[];
type Callable = Record<string, (...args: Args) => unknown>;

export interface ScriptSet<N extends string> {
  /** Runs a script: one round trip. */
  run<T = unknown>(client: RedisClient, name: N, keys: string[], args: Args): Promise<T>;
  /** A pipeline of `client` that knows the scripts (they must be defined before it is made). */
  pipeline(client: RedisClient): ChainableCommander;
  /** Queues a script on a pipeline from `pipeline()`, sent with its other commands. */
  pipe(pipeline: ChainableCommander, name: N, keys: string[], args: Args): void;
  /** Every script of the set. */
  all(): LuaScript[];
}

const FILE_NAME = /^([A-Za-z]\w*)-(\d+)\.lua$/;

function expand(dir: string, source: string, seen: Set<string>): string {
  return source.replace(/^--@include (\w+)\s*$/gm, (_m, name: string) => {
    if (seen.has(name)) throw new Error(`script include cycle or repeat: ${name}`);
    seen.add(name);
    return expand(dir, readFileSync(`${dir}includes/${name}.lua`, "utf8"), seen);
  });
}

function loadAll(dir: string, constants: Record<string, string>): Map<string, LuaScript> {
  const scripts = new Map<string, LuaScript>();
  for (const file of readdirSync(dir).sort()) {
    const m = FILE_NAME.exec(file);
    if (!m) continue;
    if (scripts.has(m[1])) throw new Error(`two scripts named ${m[1]} in ${dir}`);
    let lua = expand(dir, readFileSync(dir + file, "utf8"), new Set());
    for (const [name, value] of Object.entries(constants)) lua = lua.replaceAll(name, value);
    const sha = createHash("sha1").update(lua).digest("hex");
    scripts.set(m[1], { name: m[1], numberOfKeys: Number(m[2]), lua, sha });
  }
  return scripts;
}

/**
 * The scripts of a folder. `commandPrefix` names them on the client (`rq_lease`), and must differ
 * between sets that share a client. Pass the folder as a path, not `new URL(…, import.meta.url)`:
 * Turbopack (next build) tries to bundle a URL'd folder and fails.
 */
export function scriptSet<N extends string>(
  dir: string,
  opts: { commandPrefix: string; constants?: Record<string, string> },
): ScriptSet<N> {
  const folder = dir.replace(/\/?$/, "/");
  let loaded: Map<string, LuaScript> | undefined;
  const registered = new WeakSet<object>();
  const command = (name: string) => `${opts.commandPrefix}${name}`;

  const source = (name: N): LuaScript => {
    loaded ??= loadAll(folder, opts.constants ?? {});
    const script = loaded.get(name);
    if (!script) throw new Error(`no script named ${name} in ${folder}`);
    return script;
  };
  const register = (client: RedisClient) => {
    if (registered.has(client)) return;
    loaded ??= loadAll(folder, opts.constants ?? {});
    for (const s of loaded.values()) client.defineCommand(command(s.name), s);
    registered.add(client);
  };
  const checkKeys = (name: N, keys: string[]) => {
    const expected = source(name).numberOfKeys;
    if (keys.length !== expected)
      throw new Error(`script ${name} takes ${expected} keys, got ${keys.length}`);
  };

  return {
    run<T>(client: RedisClient, name: N, keys: string[], args: Args): Promise<T> {
      register(client);
      checkKeys(name, keys);
      return (client as unknown as Callable)[command(name)](...keys, ...args) as Promise<T>;
    },
    pipeline(client) {
      register(client);
      return client.pipeline();
    },
    pipe(pipeline, name, keys, args) {
      checkKeys(name, keys);
      (pipeline as unknown as Callable)[command(name)](...keys, ...args);
    },
    all() {
      loaded ??= loadAll(folder, opts.constants ?? {});
      return [...loaded.values()];
    },
  };
}
