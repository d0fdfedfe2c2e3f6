import { describe, expect, it } from "vitest";
import { relativeFramePaths } from "./frame-paths.ts";
import { failureOf } from "./outcome.ts";

const job = { id: "1", attempt: 1, backoffBaseMs: 10, backoffMaxMs: 100 };

/** An error whose stack was thrown from an application installed at `root`. */
function thrownAt(root: string): Error {
  const e = new Error("order 42 not found");
  e.stack = [
    "Error: order 42 not found",
    `    at loadOrder (${root}/src/orders.ts:10:5)`,
    `    at file://${root}/node_modules/pg/lib/client.js:3:9`,
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    "    at run (/usr/lib/node_modules/tool/run.js:7:1)",
  ].join("\n");
  return e;
}

describe("stack frame paths", () => {
  it("are relative to the application root, never absolute", () => {
    const out = relativeFramePaths(
      [
        "at loadOrder (/srv/app/src/orders.ts:10:5)",
        "at file:///srv/app/node_modules/pg/lib/client.js:3:9",
        "at run (/usr/lib/node_modules/tool/run.js:7:1)",
        "at C:\\srv\\app\\src\\x.js:1:1",
        "at node:internal/process/task_queues:95:5",
      ].join("\n"),
      "/srv/app",
    );
    expect(out.split("\n")).toEqual([
      "at loadOrder (src/orders.ts:10:5)",
      "at node_modules/pg/lib/client.js:3:9",
      "at run (…/tool/run.js:7:1)",
      "at …/src/x.js:1:1",
      "at node:internal/process/task_queues:95:5",
    ]);
  });

  it("are stored relative, and the fingerprint does not depend on where the app is installed", () => {
    const a = failureOf(job, thrownAt("/srv/app-blue"), "c1", 2000);
    const b = failureOf(job, thrownAt("/home/deploy/releases/2026-11-30"), "c1", 2000, Math.random);
    // the record is made with process.cwd() as the root: neither root appears, yet both differ
    // from the cwd, so the outside-root rule applies to both the same way
    expect(JSON.parse(a.record).stack).not.toMatch(/\/srv\/|\/home\//);
    expect(JSON.parse(b.record).stack).not.toMatch(/\/srv\/|\/home\//);
    const here = failureOf(job, thrownAt(process.cwd()), "c1", 2000);
    const there = failureOf(job, thrownAt(process.cwd()), "c2", 2000);
    expect(JSON.parse(here.record).stack.split("\n")[0]).toBe("at loadOrder (src/orders.ts:10:5)");
    expect(here.group.topFrame).toBe("loadOrder (src/orders.ts)");
    expect(here.fp).toBe(there.fp);
    expect(a.fp).toBe(b.fp);
  });
});
