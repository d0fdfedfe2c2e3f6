/**
 * Indexes the Lua scripts the Python client (clients/python) runs. The client reads them from the
 * one tree, lib/redis/lua (its requeue/_lua is a link to it), and expands includes and constants
 * itself as lib/redis/scripts.ts does; this writes, per set, what the tree does not say: the
 * constants the set fills in, and each script's key count and SHA as the TypeScript loader makes
 * it. The Python loader refuses a script whose expansion has another SHA, so both languages send
 * the same scripts. Run after changing a .lua file or a constant:
 *   npx tsx scripts/export-lua.ts
 * scripts/export-lua.test.ts fails when the packaged index differs from what the loader produces.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheScriptSet } from "#lib/cache/scripts.ts";
import { queueScriptSet } from "#lib/queue/scripts.ts";
import type { ScriptSet } from "#lib/redis/scripts.ts";

/** The Python package, requeue/. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "clients/python/requeue");
/** Where the package keeps the index of each set: `<set>.json`. */
export const INDEX_DIR = join(PACKAGE_DIR, "_index");

/** The script sets the Python client runs, by folder of lib/redis/lua: the queue's and the cache's. */
export const PACKAGED_SETS: Record<string, Pick<ScriptSet<string>, "all" | "constants">> = {
  queue: queueScriptSet,
  cache: cacheScriptSet,
};

/** What requeue/scripts.py reads of a set besides the tree. */
export interface SetIndex {
  /** `__NAME__` → value, in the order the loader replaces them */
  constants: Record<string, string>;
  /** script name → its key count (the file is `<name>-<keys>[+].lua`) and the SHA1 of its expansion */
  scripts: Record<string, { keys: number; variadic: boolean; sha: string }>;
}

/** The files of requeue/_index/: `<set>.json` → content. */
export function packagedIndexes(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [folder, set] of Object.entries(PACKAGED_SETS)) {
    const index: SetIndex = { constants: set.constants(), scripts: {} };
    for (const s of set.all())
      index.scripts[s.name] = { keys: s.numberOfKeys, variadic: s.variadic, sha: s.sha };
    files.set(`${folder}.json`, `${JSON.stringify(index, null, 2)}\n`);
  }
  return files;
}

function main(): void {
  const files = packagedIndexes();
  rmSync(INDEX_DIR, { recursive: true, force: true });
  mkdirSync(INDEX_DIR, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(INDEX_DIR, name), content);
  console.log(`export-lua: ${[...files.keys()].join(", ")} in ${INDEX_DIR}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
