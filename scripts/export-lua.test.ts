import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGED_DIR, packagedScripts } from "./export-lua.ts";

// The Python client runs the packaged copies: they must be what the TypeScript loader produces.
describe("packaged Lua scripts of the Python client", () => {
  const expected = packagedScripts();
  it("holds exactly the loader's files", () => {
    const packaged = readdirSync(join(PACKAGED_DIR, "queue")).map((f) => `queue/${f}`);
    expect(packaged.sort()).toEqual([...expected.keys()].sort());
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
