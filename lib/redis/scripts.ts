/**
 * A small loader for Lua scripts kept one per file, named `<name>-<numkeys>.lua` (BullMQ's habit):
 * the number of keys is read from the file name, so TypeScript never keeps a second copy of it.
 *
 * Scripts run with EVALSHA and fall back to EVAL when the server does not know them yet (after a
 * restart, or on a Cluster node that has not seen them). Any module with a `scripts/` folder can
 * use it: `const scripts = loadScripts(new URL("./scripts/", import.meta.url))`.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RedisClient } from "./connection.ts";

export interface LuaScript {
  name: string;
  numKeys: number;
  lua: string;
  sha: string;
}

const FILE_NAME = /^([A-Za-z][A-Za-z0-9]*)-(\d+)\.lua$/;

/** Reads every `<name>-<numkeys>.lua` of a folder, keyed by name. */
export function loadScripts(dir: string | URL): Record<string, LuaScript> {
  const path = typeof dir === "string" ? dir : fileURLToPath(dir);
  const out: Record<string, LuaScript> = {};
  for (const file of readdirSync(path).sort()) {
    const m = FILE_NAME.exec(file);
    if (!m) continue;
    const lua = readFileSync(`${path.replace(/\/?$/, "/")}${file}`, "utf8");
    if (out[m[1]]) throw new Error(`two scripts named ${m[1]} in ${path}`);
    out[m[1]] = { name: m[1], numKeys: Number(m[2]), lua, sha: createHash("sha1").update(lua).digest("hex") };
  }
  return out;
}

/** Runs a script: EVALSHA, then EVAL once if the server answers NOSCRIPT. */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  if (keys.length !== script.numKeys) {
    throw new Error(`script ${script.name} takes ${script.numKeys} keys, got ${keys.length}`);
  }
  try {
    return await client.evalsha(script.sha, script.numKeys, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return client.eval(script.lua, script.numKeys, ...keys, ...args);
  }
}
