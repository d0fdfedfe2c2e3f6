/**
 * The Lua script loader. Each state transition lives in scripts/<name>-<numkeys>.lua; the
 * number of keys is read from the file name, `--@include <file>` pulls a helper from
 * scripts/includes/, and `__NAME__` placeholders take constants defined here. Scripts are
 * read on first use (not at import) and registered on each client with defineCommand, so
 * ioredis sends EVALSHA and falls back to EVAL after a Redis restart emptied its script cache.
 */

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "../redis/connection.ts";
import { STATS_TTL_SECONDS } from "../redis/keys.ts";

export type ScriptName =
  | "add"
  | "lease"
  | "complete"
  | "fail"
  | "extend"
  | "release"
  | "reclaim"
  | "promote"
  | "trimdead";

/** Errors kept per job (the newest). */
export const MAX_ERRORS_PER_JOB = 25;

const CONSTANTS: Record<string, string> = {
  __STATS_TTL__: String(STATS_TTL_SECONDS),
  __MAX_ERRORS__: String(MAX_ERRORS_PER_JOB),
};

interface Script {
  numberOfKeys: number;
  lua: string;
}

// Not `new URL("./scripts/", import.meta.url)`: Turbopack (next build) tries to bundle that folder and fails.
const dir = `${join(dirname(fileURLToPath(import.meta.url)), "scripts")}/`;
let loaded: Map<string, Script> | undefined;

function expand(source: string, seen: Set<string>): string {
  return source.replace(/^--@include (\w+)\s*$/gm, (_m, name: string) => {
    if (seen.has(name)) throw new Error(`script include cycle or repeat: ${name}`);
    seen.add(name);
    return expand(readFileSync(`${dir}includes/${name}.lua`, "utf8"), seen);
  });
}

function loadAll(): Map<string, Script> {
  const scripts = new Map<string, Script>();
  for (const file of readdirSync(dir)) {
    const m = /^(\w+)-(\d+)\.lua$/.exec(file);
    if (!m) continue;
    let lua = expand(readFileSync(dir + file, "utf8"), new Set());
    for (const [name, value] of Object.entries(CONSTANTS)) lua = lua.replaceAll(name, value);
    scripts.set(m[1], { numberOfKeys: Number(m[2]), lua });
  }
  return scripts;
}

/** The expanded source of a script (tests and docs). */
export function scriptSource(name: ScriptName): Script {
  loaded ??= loadAll();
  const script = loaded.get(name);
  if (!script) throw new Error(`no script named ${name} in ${dir}`);
  return script;
}

const registered = new WeakSet<object>();

function register(client: RedisClient): void {
  if (registered.has(client)) return;
  loaded ??= loadAll();
  for (const [name, script] of loaded) client.defineCommand(`rq_${name}`, script);
  registered.add(client);
}

type Callable = Record<string, (...args: (string | number)[]) => unknown>;

function checkKeys(name: ScriptName, keys: string[]): void {
  const expected = scriptSource(name).numberOfKeys;
  if (keys.length !== expected) throw new Error(`script ${name} takes ${expected} keys, got ${keys.length}`);
}

/** Runs a script on a client: one round trip. */
export function runScript<T = unknown>(
  client: RedisClient,
  name: ScriptName,
  keys: string[],
  args: (string | number)[],
): Promise<T> {
  register(client);
  checkKeys(name, keys);
  return (client as unknown as Callable)[`rq_${name}`](...keys, ...args) as Promise<T>;
}

/** A pipeline of `client` that knows the scripts (they must be defined before it is made). */
export function scriptPipeline(client: RedisClient): ChainableCommander {
  register(client);
  return client.pipeline();
}

/** Queues a script on a pipeline from scriptPipeline() (sent with the pipeline's other commands). */
export function pipeScript(
  pipeline: ChainableCommander,
  name: ScriptName,
  keys: string[],
  args: (string | number)[],
): void {
  checkKeys(name, keys);
  (pipeline as unknown as Callable)[`rq_${name}`](...keys, ...args);
}
