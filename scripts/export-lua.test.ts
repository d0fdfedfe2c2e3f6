import { lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDEX_DIR, PACKAGE_DIR, PACKAGED_SETS, packagedIndexes } from "./export-lua.ts";

const TREE = join(import.meta.dirname, "..", "lib/redis/lua");

/** Every file below `dir` whose name ends in `ending`, links not followed. */
function filesBelow(dir: string, ending: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesBelow(join(dir, e.name), ending)
      : e.name.endsWith(ending)
        ? [join(dir, e.name)]
        : [],
  );
}

// The Python client expands lib/redis/lua itself and checks each script's SHA against its index:
// the index must be what the TypeScript loader produces, and the tree must be the same one.
describe("the Python client's scripts", () => {
  const expected = packagedIndexes();
  it("indexes the queue's and the cache's scripts, with the constants each fills in", () => {
    expect(Object.keys(PACKAGED_SETS).sort()).toEqual(["cache", "queue"]);
    const queue = JSON.parse(expected.get("queue.json") ?? "{}");
    expect(Object.keys(queue.constants)).toEqual(expect.arrayContaining(["__STATS_TTL__", "__MAX_ERRORS__"]));
    expect(Object.keys(JSON.parse(expected.get("cache.json") ?? "{}").scripts).sort()).toEqual([
      "invalidateTag",
      "write",
    ]);
  });
  it("_index/ holds exactly the exporter's files", () => {
    expect(readdirSync(INDEX_DIR).sort()).toEqual([...expected.keys()].sort());
  });
  it.each([...expected.keys()])("_index/%s is the loader's (run: npx tsx scripts/export-lua.ts)", (name) => {
    expect(readFileSync(join(INDEX_DIR, name), "utf8")).toBe(expected.get(name));
  });
  it("reads the one tree: requeue/_lua is a link to lib/redis/lua, and no .lua file is copied", () => {
    expect(lstatSync(join(PACKAGE_DIR, "_lua")).isSymbolicLink()).toBe(true);
    expect(realpathSync(join(PACKAGE_DIR, "_lua"))).toBe(realpathSync(TREE));
    expect(filesBelow(PACKAGE_DIR, ".lua")).toEqual([]);
  });
  it("packages what the Python loader reads (pyproject.toml package-data)", () => {
    const pyproject = readFileSync(join(PACKAGE_DIR, "..", "pyproject.toml"), "utf8");
    const wanted = [
      "_index/*.json",
      "_lua/includes/*.lua",
      ...Object.keys(PACKAGED_SETS).map((f) => `_lua/${f}/*.lua`),
    ];
    for (const glob of wanted) expect(pyproject).toContain(`"${glob}"`);
  });
  it("expanded every include and constant", () => {
    for (const set of Object.values(PACKAGED_SETS))
      for (const { name, lua } of set.all()) {
        expect(lua, name).not.toMatch(/^--@include/m);
        expect(lua, name).not.toMatch(/__[A-Z_]+__/);
      }
  });
});
