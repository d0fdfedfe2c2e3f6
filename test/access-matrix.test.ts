/**
 * The static half of the access matrix: every page, route handler and server action declares
 * its access on the server — a page through requirePrincipal (its own or its layout's), a route
 * handler through route({ role }), a server action through action(role, …) — or is listed as
 * public on purpose; every dynamic route has sample parameters for the live matrix
 * (e2e/access-matrix.spec.ts), which checks the statuses against the running app.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverActions, discoverPages, discoverRoutes, urlFor } from "../e2e/helpers/auth-routes.ts";

/**
 * An audit(…) call, or the `audit: { action: "…" }` option of route()/action()
 * (app/_lib/audited.ts), which records the entry on success and on failure.
 */
// the action may be computed, as in the route factories of app/_lib/ops (jobActionRoute, pauseRoute)
const RECORDS_AUDIT =
  /\baudit\(|\baudit: \{ action: (?:"[a-z.]{1,60}"|`[a-z.]{1,20}\$\{|[a-z]{1,20} \? "[a-z.]{1,60}")/;

/** True when the file, or a module it imports from app/ (one level), records an audit entry. */
function audits(file: string): boolean {
  const src = readFileSync(file, "utf8");
  if (RECORDS_AUDIT.test(src)) return true;
  for (const [, spec] of src.matchAll(/from\s+["']((?:\.{1,2}\/|#app\/)[^"']+)["']/g)) {
    const base = spec.startsWith("#") ? join(process.cwd(), spec.slice(1)) : resolve(dirname(file), spec);
    const target = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find(
      (f) => /\.tsx?$/.test(f) && existsSync(f),
    );
    if (target && RECORDS_AUDIT.test(readFileSync(target, "utf8"))) return true;
  }
  return false;
}

describe("access matrix (static)", () => {
  it("finds the routes it guards", () => {
    expect(discoverPages().map((p) => p.pattern)).toEqual(
      expect.arrayContaining(["/login", "/settings", "/audit"]),
    );
    expect(discoverRoutes().map((r) => `${r.method} ${r.pattern}`)).toEqual(
      expect.arrayContaining(["GET /api/v1/audit", "POST /api/v1/tokens", "DELETE /api/v1/users/[email]"]),
    );
    expect(discoverActions().map((a) => a.name)).toEqual(expect.arrayContaining(["createTokenAction"]));
  });

  it("every page checks a role or is public on purpose", () => {
    const unchecked = discoverPages().filter((p) => p.access === null);
    expect(unchecked.map((p) => `${p.file}: no requirePrincipal() in the page or a layout`)).toEqual([]);
  });

  it("every route handler export is built with route({ role }) or is public on purpose", () => {
    const unchecked = discoverRoutes().filter((r) => r.access === null);
    expect(unchecked.map((r) => `${r.file} ${r.method}: not built with route({ role })`)).toEqual([]);
  });

  it("every server action export is built with action(role, …)", () => {
    const unchecked = discoverActions().filter((a) => a.access === null);
    expect(unchecked.map((a) => `${a.file} ${a.name}: not built with action(role, …)`)).toEqual([]);
  });

  it("every dynamic route has sample parameters for the live matrix", () => {
    const patterns = [...discoverPages(), ...discoverRoutes()].map((r) => r.pattern);
    const missing = [...new Set(patterns)].filter((p) => urlFor(p) === null);
    expect(missing.map((p) => `${p}: add sample values to PARAMS in e2e/helpers/auth-routes.ts`)).toEqual([]);
  });

  it("every mutating route handler and every server action file records an audit entry", () => {
    const files = new Set([
      ...discoverRoutes()
        .filter((r) => r.method !== "GET" && r.access !== "public")
        .map((r) => r.file),
      ...discoverActions().map((a) => a.file),
    ]);
    expect([...files].filter((f) => !audits(f)).map((f) => `${f}: no audit(…) or audit option`)).toEqual([]);
  });

  it("admin-only API routes include users, tokens and the audit log", () => {
    const admin = discoverRoutes().filter((r) => r.pattern.match(/^\/api\/v1\/(users|tokens|audit)/));
    expect(admin.length).toBeGreaterThanOrEqual(6);
    for (const r of admin)
      expect(`${r.method} ${r.pattern} ${r.access}`).toBe(`${r.method} ${r.pattern} admin`);
  });

  it("only adding jobs is open to producer tokens", () => {
    const producer = discoverRoutes().filter((r) => r.access === "producer");
    expect(producer.map((r) => `${r.method} ${r.pattern}`)).toEqual(["POST /api/v1/queues/[queue]/jobs"]);
  });
});
