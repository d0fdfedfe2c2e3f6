/**
 * `npm run lint:circles`: fails when project files import each other in a circle.
 *
 *   tsx scripts/check-circles.ts lib worker bin scripts [--allow a.ts,b.ts]
 *
 * What madge --circular does, without madge: madge 8 parses TypeScript with the TypeScript 5
 * API, which TypeScript 7 (this project's) does not have, and its peer range refuses TS 7.
 * Every import counts, `import type` too (a type-only circle still ties the files together).
 * Imports are followed wherever they lead in the tree (a circle through test/ counts); package
 * imports are not. `--allow` names the files of a circle known and being fixed elsewhere: it is
 * tolerated while it exists, and reported once it is gone so the exception does not outlive it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const SKIP = new Set(["node_modules", ".next", ".data", ".git"]);
// `from "x"` (import and re-export, on one line even when the list spans several),
// `import "x"` and `import("x")`. Bounded: a specifier is one short line.
const SPECIFIER = /\bfrom\s*["']([^"'\n]{1,300})["']|\bimport\s*\(?\s*["']([^"'\n]{1,300})["']/g;
const COMMENTS = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return SOURCE.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a specifier names in the tree (relative, or package.json's `#<folder>/*`), or null. */
function resolveImport(root: string, from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith(".")) base = resolve(dirname(from), spec);
  else if (/^#[a-z]+\//.test(spec)) base = join(root, spec.slice(1));
  else return null;
  const stem = base.replace(/\.js$/, "");
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, join(base, "index.ts"), join(base, "index.tsx")])
    if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

function importsOf(root: string, file: string): string[] {
  const text = readFileSync(file, "utf8").replace(COMMENTS, "");
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) {
    const target = resolveImport(root, file, m[1] ?? m[2]);
    if (target) out.add(target);
  }
  return [...out];
}

/** Every circle met by a depth-first walk from the files of `dirs`, each as a list of paths. */
export function findCircles(root: string, dirs: string[]): string[][] {
  const graph = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    if (!graph.has(file)) graph.set(file, importsOf(root, file));
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        const circle = stack.slice(stack.indexOf(next)).map((f) => relative(root, f));
        found.set([...circle].sort().join(","), circle);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const dir of dirs)
    for (const file of sourceFiles(resolve(root, dir))) if (!state.has(file)) visit(file);
  return [...found.values()];
}

function main(argv: string[]): number {
  const allowed: string[] = [];
  for (let at = argv.indexOf("--allow"); at >= 0; at = argv.indexOf("--allow"))
    allowed.push(argv.splice(at, 2)[1].split(",").sort().join(","));
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const circles = findCircles(root, argv);
  const seen = new Set(circles.map((c) => [...c].sort().join(",")));
  const bad = circles.filter((c) => !allowed.includes([...c].sort().join(",")));
  const stale = allowed.filter((a) => !seen.has(a));
  for (const c of bad) console.error(`import circle: ${c.join(" > ")} > ${c[0]}`);
  for (const a of stale) console.error(`--allow ${a}: no such circle any more; remove it from lint:circles`);
  if (bad.length === 0 && stale.length === 0) console.log(`no import circles in ${argv.join(", ")}`);
  return bad.length + stale.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
