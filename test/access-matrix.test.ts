/**
 * The static half of the access matrix: every page, route handler and server action declares
 * its access on the server — a page through requirePrincipal (its own or its layout's), a route
 * handler through route({ role }), a server action through action(role, …) — or is listed as
 * public on purpose; every dynamic route has sample parameters for the live matrix
 * (e2e/access-matrix.spec.ts), which checks the statuses against the running app.
 */
import { describe, expect, it } from "vitest";
import { discoverActions, discoverPages, discoverRoutes, urlFor } from "../e2e/helpers/auth-routes.ts";

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

  it("admin-only API routes include users, tokens and the audit log", () => {
    const admin = discoverRoutes().filter((r) => r.pattern.match(/^\/api\/v1\/(users|tokens|audit)/));
    expect(admin.length).toBeGreaterThanOrEqual(6);
    for (const r of admin)
      expect(`${r.method} ${r.pattern} ${r.access}`).toBe(`${r.method} ${r.pattern} admin`);
  });
});
