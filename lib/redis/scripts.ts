/**
 * The one loader for Requeue's Lua scripts: one tree, lib/redis/lua/ (queue/, dlq/, cache/ and the
 * includes/ they share), a script per file `<name>-<numkeys>.lua` (BullMQ's habit; `-<n>+`: n keys
 * or more), so TypeScript never keeps a second copy of a key count. `--@include <file>` pulls in
 * includes/<file>.lua; `__NAME__` placeholders take constants (__STATS_TTL__, and the set's own).
 *
 * Scripts are read on first use (not at import) and defined on each client with defineCommand, so
 * ioredis sends EVALSHA and falls back to EVAL when the server does not know them (after a restart,
 * or on a Cluster node that has not seen them). lib/queue, lib/dlq and lib/cache each build a set.
 *
 * The Python client reads this same tree and expands it the same way (clients/python/requeue/
 * scripts.py); scripts/export-lua.ts writes the SHAs and constants it checks itself against.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "./connection.ts";
import { STATS_TTL_SECONDS } from "./keys.ts";

export interface LuaScript {
  name: string;
  /** keys it takes; at least this many when `variadic` */
  numberOfKeys: number;
  variadic: boolean;
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
  /** The `__NAME__` placeholders the set fills in, name → value, in the order they are replaced. */
  constants(): Record<string, string>;
}

export type ScriptFolder = "queue" | "dlq" | "cache" | "jobs";

// A path, not `new URL("./lua/", import.meta.url)`: Turbopack (next build) tries to bundle a URL'd folder.
const TREE = join(dirname(fileURLToPath(import.meta.url)), "lua");
const FILE_NAME = /^([A-Za-z]\w*)-(\d+)(\+?)\.lua$/;

function expand(source: string, seen: Set<string>): string {
  return source.replace(/^--@include (\w+)\s*$/gm, (_m, name: string) => {
    if (seen.has(name)) throw new Error(`script include cycle or repeat: ${name}`);
    seen.add(name);
    return expand(readFileSync(join(TREE, "includes", `${name}.lua`), "utf8"), seen);
  });
}

function loadAll(folder: ScriptFolder, constants: Record<string, string>): Map<string, LuaScript> {
  const dir = join(TREE, folder);
  const scripts = new Map<string, LuaScript>();
  for (const file of readdirSync(dir).sort()) {
    const m = FILE_NAME.exec(file);
    if (!m) continue;
    if (scripts.has(m[1])) throw new Error(`two scripts named ${m[1]} in ${dir}`);
    let lua = expand(readFileSync(join(dir, file), "utf8"), new Set());
    // A function, so a value is put in as it is (a string would read `$&` and the like as patterns).
    for (const [name, value] of Object.entries(constants)) lua = lua.replaceAll(name, () => value);
    const sha = createHash("sha1").update(lua).digest("hex");
    scripts.set(m[1], { name: m[1], numberOfKeys: Number(m[2]), variadic: m[3] === "+", lua, sha });
  }
  return scripts;
}

/**
 * The scripts of a folder of the tree. `commandPrefix` names them on the client (`rq_lease`), and
 * must differ between sets that share a client.
 */
export function scriptSet<N extends string>(
  folder: ScriptFolder,
  opts: { commandPrefix: string; constants?: Record<string, string> },
): ScriptSet<N> {
  const constants = { __STATS_TTL__: String(STATS_TTL_SECONDS), ...opts.constants };
  let loaded: Map<string, LuaScript> | undefined;
  const load = () => (loaded ??= loadAll(folder, constants));
  const registered = new WeakSet<object>();
  const command = (name: string) => `${opts.commandPrefix}${name}`;

  const source = (name: N): LuaScript => {
    const script = load().get(name);
    if (!script) throw new Error(`no script named ${name} in ${folder}`);
    return script;
  };
  const register = (client: RedisClient) => {
    if (registered.has(client)) return;
    // No numberOfKeys: every call passes its key count first, as EVALSHA sends it either way.
    for (const s of load().values()) client.defineCommand(command(s.name), { lua: s.lua });
    registered.add(client);
  };
  const checkKeys = (name: N, keys: string[]) => {
    const { numberOfKeys: n, variadic } = source(name);
    if (variadic ? keys.length < n : keys.length !== n)
      throw new Error(`script ${name} takes ${variadic ? "at least " : ""}${n} keys, got ${keys.length}`);
  };

  return {
    run<T>(client: RedisClient, name: N, keys: string[], args: Args): Promise<T> {
      register(client);
      checkKeys(name, keys);
      return (client as unknown as Callable)[command(name)](keys.length, ...keys, ...args) as Promise<T>;
    },
    pipeline(client) {
      register(client);
      return client.pipeline();
    },
    pipe(pipeline, name, keys, args) {
      checkKeys(name, keys);
      (pipeline as unknown as Callable)[command(name)](keys.length, ...keys, ...args);
    },
    all() {
      return [...load().values()];
    },
    constants() {
      return { ...constants };
    },
  };
}
