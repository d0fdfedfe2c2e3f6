/** The import-circle check of `npm run lint` finds circles however the files import each other. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findCircles } from "./check-circles.ts";

const root = mkdtempSync(join(tmpdir(), "requeue-circles-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("findCircles", () => {
  it("finds a circle through a type-only import, an alias, a re-export and an index file", () => {
    tree({
      "a/one.ts": 'import type { Two } from "./two.ts";\nexport type One = Two;\n',
      "a/two.ts": 'export { three } from "#b/index.ts";\nexport type Two = string;\n',
      "b/index.ts": 'import {\n  one,\n} from "#lib/x.ts";\nexport const three = 3;\n',
      "lib/x.ts": 'import "../a/one.ts";\n',
    });
    expect(findCircles(root, ["a"])).toEqual([["a/one.ts", "a/two.ts", "b/index.ts", "lib/x.ts"]]);
  });

  it("finds none in a tree whose imports only go one way, whatever the comments say", () => {
    tree({
      "c/top.ts": 'import { low } from "./low.ts";\nimport { z } from "zod";\nexport const top = low;\n',
      "c/low.ts": '// import { top } from "./top.ts";\n/* from "./top.ts" */\nexport const low = 1;\n',
    });
    expect(findCircles(root, ["c"])).toEqual([]);
  });
});
