/**
 * Writes the Lua scripts the Python client (clients/python) runs, from the one loader the
 * TypeScript side uses (lib/redis/scripts.ts): includes and constants expanded exactly alike, so
 * both languages send the same script (the same SHA). Run after changing a .lua file:
 *   npx tsx scripts/export-lua.ts
 * scripts/export-lua.test.ts fails when the packaged copies differ from what the loader produces.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheScriptList } from "#lib/cache/scripts.ts";
import { queueScripts } from "#lib/queue/scripts.ts";
import type { LuaScript } from "#lib/redis/scripts.ts";

export const PACKAGED_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "clients/python/requeue/_scripts",
);

/** The script sets the package holds, by folder: the queue's and the cache's. */
export const PACKAGED_SETS: Record<string, () => LuaScript[]> = {
  queue: queueScripts,
  cache: cacheScriptList,
};

/** The files the package must hold: name → content (each set's scripts, plus an index per set). */
export function packagedScripts(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [folder, list] of Object.entries(PACKAGED_SETS)) {
    const index: Record<string, { keys: number; variadic: boolean; sha: string }> = {};
    for (const s of list()) {
      files.set(`${folder}/${s.name}.lua`, s.lua);
      index[s.name] = { keys: s.numberOfKeys, variadic: s.variadic, sha: s.sha };
    }
    files.set(`${folder}/index.json`, `${JSON.stringify(index, null, 2)}\n`);
  }
  return files;
}

function main(): void {
  const files = packagedScripts();
  for (const folder of Object.keys(PACKAGED_SETS))
    rmSync(join(PACKAGED_DIR, folder), { recursive: true, force: true });
  for (const [name, content] of files) {
    mkdirSync(dirname(join(PACKAGED_DIR, name)), { recursive: true });
    writeFileSync(join(PACKAGED_DIR, name), content);
  }
  console.log(
    `export-lua: ${files.size} files in ${PACKAGED_DIR} (${Object.keys(PACKAGED_SETS).join(", ")})`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
