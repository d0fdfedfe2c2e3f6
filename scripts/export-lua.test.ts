import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGED_DIR, PACKAGED_SETS, packagedScripts } from "./export-lua.ts";

// The Python client runs the packaged copies: they must be what the TypeScript loader produces.
describe("packaged Lua scripts of the Python client", () => {
  const expected = packagedScripts();
  it("packages the queue's and the cache's scripts", () => {
    expect(Object.keys(PACKAGED_SETS).sort()).toEqual(["cache", "queue"]);
    expect(expected.has("cache/write.lua") && expected.has("cache/invalidateTag.lua")).toBe(true);
  });
  it.each(Object.keys(PACKAGED_SETS))("%s/ holds exactly the loader's files", (folder) => {
    const packaged = readdirSync(join(PACKAGED_DIR, folder)).map((f) => `${folder}/${f}`);
    const wanted = [...expected.keys()].filter((name) => name.startsWith(`${folder}/`));
    expect(packaged.sort()).toEqual(wanted.sort());
  });
  it.each([...expected.keys()])("%s is the loader's text (run: npx tsx scripts/export-lua.ts)", (name) => {
    expect(readFileSync(join(PACKAGED_DIR, name), "utf8")).toBe(expected.get(name));
  });
  it("expanded every include and constant", () => {
    for (const [name, text] of expected) {
      if (!name.endsWith(".lua")) continue;
      expect(text).not.toMatch(/^--@include/m);
      expect(text).not.toMatch(/__[A-Z_]+__/);
    }
  });
});
