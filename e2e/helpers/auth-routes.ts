/**
 * Discovers every page, route handler and server action from the file system, with the access
 * each declares, for the access matrix (e2e/access-matrix.spec.ts) and its static twin
 * (test/access-matrix.test.ts). Nothing is listed by hand except what is public on purpose and
 * the sample values of dynamic segments: a new route without a declared check fails both.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** "producer": admins and producer tokens (which may add jobs and nothing else; docs/access.md). */
export type Access = "public" | "viewer" | "admin" | "producer";
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** Public on purpose. Anything else must check a role. */
export const PUBLIC_PAGES = new Set(["/login"]);
export const PUBLIC_ROUTES = new Set(["/api/health", "/api/auth/[...nextauth]"]);

/**
 * A sample value for each dynamic segment, by route pattern. Values name things that do not
 * exist, so an allowed call answers 404/400 and never changes data. A pattern missing here
 * fails the matrix: add it when you add the route.
 */
export const PARAMS: Record<string, Record<string, string>> = {
  "/queues/[queue]": { queue: "matrix-none" },
  "/queues/[queue]/jobs": { queue: "matrix-none" },
  "/queues/[queue]/jobs/[id]": { queue: "matrix-none", id: "matrix-none" },
  "/dead-letters/[queue]": { queue: "matrix-none" },
  "/dead-letters/[queue]/[id]": { queue: "matrix-none", id: "matrix-none" },
  "/cache/[namespace]": { namespace: "matrix-none" },
  "/api/auth/[...nextauth]": { nextauth: "session" },
  "/api/v1/alerts/thresholds/[id]": { id: "matrix-none" },
  "/api/v1/users/[email]": { email: "nobody@matrix.test" },
  "/api/v1/users/[email]/sessions": { email: "nobody@matrix.test" },
  "/api/v1/tokens/[id]": { id: "000000000000" },
  "/api/v1/queues/[queue]": { queue: "matrix-none" },
  "/api/v1/queues/[queue]/history": { queue: "matrix-none" },
  "/api/v1/queues/[queue]/jobs": { queue: "matrix-none" },
  "/api/v1/queues/[queue]/pause": { queue: "matrix-none" },
  "/api/v1/queues/[queue]/resume": { queue: "matrix-none" },
  "/api/v1/queues/[queue]/jobs/[id]/logs": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/queues/[queue]/jobs/[id]": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/queues/[queue]/jobs/[id]/promote": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/queues/[queue]/jobs/[id]/delete": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/queues/[queue]/jobs/[id]/reclaim": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/queues/[queue]/jobs/[id]/requeue": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/jobs/[id]": { id: "matrix-none" },
  "/api/v1/dead-letters/[queue]": { queue: "matrix-none" },
  "/api/v1/dead-letters/[queue]/[id]": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/dead-letters/[queue]/[id]/requeue": { queue: "matrix-none", id: "matrix-none" },
  "/api/v1/dead-letters/[queue]/bulk": { queue: "matrix-none" },
  "/api/v1/dead-letters/[queue]/groups": { queue: "matrix-none" },
  "/api/v1/cache/[namespace]": { namespace: "matrix-none" },
  "/api/v1/cache/[namespace]/flush": { namespace: "matrix-none" },
  "/api/v1/bulk/[opId]": { opId: "matrix-none" },
  "/api/v1/bulk/[id]": { id: "matrix-none" },
  "/api/v1/bulk/[id]/cancel": { id: "matrix-none" },
};

export interface PageEntry {
  file: string;
  pattern: string;
  access: Access | null;
}
export interface RouteEntry {
  file: string;
  pattern: string;
  method: Method;
  access: Access | null;
}
export interface ActionEntry {
  file: string;
  name: string;
  access: Access | null;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** app/(console)/queues/[queue]/page.tsx → /queues/[queue] */
export function patternOf(root: string, file: string): string {
  const parts = relative(join(root, "app"), dirname(file))
    .split(sep)
    .filter((s) => s && !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@"));
  return `/${parts.join("/")}`;
}

/** The URL to request for a pattern, or null when a dynamic segment has no sample value. */
export function urlFor(pattern: string): string | null {
  if (!pattern.includes("[")) return pattern;
  const values = PARAMS[pattern];
  if (!values) return null;
  let missing = false;
  const url = pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) => {
    if (values[name] === undefined) missing = true;
    return encodeURIComponent(values[name] ?? "");
  });
  return missing ? null : url;
}

const ROLE_CALL = /requirePrincipal\(\s*["'](viewer|admin)["']\s*\)/;

/** A page's access: its own requirePrincipal, else the nearest layout's, else public or null. */
function pageAccess(root: string, file: string, pattern: string): Access | null {
  if (PUBLIC_PAGES.has(pattern)) return "public";
  const own = readFileSync(file, "utf8").match(ROLE_CALL);
  if (own) return own[1] as Access;
  for (let dir = dirname(file); dir.startsWith(join(root, "app")); dir = dirname(dir)) {
    const layout = ["layout.tsx", "layout.ts"].map((n) => join(dir, n)).find(existsSync);
    const m = layout ? readFileSync(layout, "utf8").match(ROLE_CALL) : null;
    if (m) return m[1] as Access;
    if (dir === join(root, "app")) break;
  }
  return null;
}

export function discoverPages(root = process.cwd()): PageEntry[] {
  return walk(join(root, "app"))
    .filter((f) => /[\\/]page\.(tsx|ts|jsx|js)$/.test(f))
    .map((file) => {
      const pattern = patternOf(root, file);
      return { file: relative(root, file), pattern, access: pageAccess(root, file, pattern) };
    })
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

function exportedMethods(src: string): Method[] {
  return METHODS.filter(
    (m) =>
      new RegExp(`export\\s+(const|let|async\\s+function|function)\\s+${m}\\b`).test(src) ||
      new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b`).test(src),
  );
}

export function discoverRoutes(root = process.cwd()): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const file of walk(join(root, "app")).filter((f) => /[\\/]route\.(ts|js)$/.test(f))) {
    const src = readFileSync(file, "utf8");
    const pattern = patternOf(root, file);
    for (const method of exportedMethods(src)) {
      const m = src.match(
        new RegExp(
          // route({ role… }) or a route factory of app/_lib/ops stating the role the same way,
          // e.g. jobActionRoute({ role: "admin", action: "promote" })
          `export\\s+const\\s+${method}\\s*=\\s*(?:route|[a-z]\\w*Route)\\(\\s*\\{[^;]*?role:\\s*["'](viewer|admin|producer)["']`,
        ),
      );
      const access: Access | null = m ? (m[1] as Access) : PUBLIC_ROUTES.has(pattern) ? "public" : null;
      out.push({ file: relative(root, file), pattern, method, access });
    }
  }
  return out.sort((a, b) => `${a.pattern} ${a.method}`.localeCompare(`${b.pattern} ${b.method}`));
}

const USE_SERVER = /^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*["']use server["']/;

/** Every export of every `"use server"` file, with the role its `action(role, …)` declares. */
export function discoverActions(root = process.cwd()): ActionEntry[] {
  const out: ActionEntry[] = [];
  const files = ["app", "components", "lib"].flatMap((d) => walk(join(root, d)));
  for (const file of files.filter((f) => /\.(ts|tsx)$/.test(f))) {
    const src = readFileSync(file, "utf8");
    if (!USE_SERVER.test(src)) continue;
    for (const [, name] of src.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(\w+)/g)) {
      const m = src.match(
        new RegExp(`export\\s+const\\s+${name}\\s*=\\s*action\\(\\s*["'](viewer|admin)["']`),
      );
      out.push({ file: relative(root, file), name, access: m ? (m[1] as Access) : null });
    }
  }
  return out.sort((a, b) => `${a.file} ${a.name}`.localeCompare(`${b.file} ${b.name}`));
}
