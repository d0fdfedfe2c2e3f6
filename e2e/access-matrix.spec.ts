/**
 * The access matrix, live: every page, route handler and server action found on disk
 * (e2e/helpers/auth-routes.ts) × anonymous, viewer, admin, viewer token, admin token, producer
 * token (it may add jobs and nothing else), revoked
 * token, expired token, expired session and ended session (its user signed out everywhere),
 * each asserted against the running app. A route missing sample
 * parameters or a declared check fails here (and in test/access-matrix.test.ts).
 *
 * Calls never change data: dynamic segments name things that do not exist, mutations send a
 * body that is not valid JSON, and server actions get an input their schema refuses — so an
 * allowed call answers 400/404, and a refused one 401/403 (or the sign-in redirect).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { endSessions, revokeToken } from "../lib/auth/index.ts";
import { E2E_ADMIN, E2E_BASE_URL, E2E_SECRET } from "./env.ts";
import { apiAs, bearerFor, createE2EUser, e2eRedis, expireToken, uniqueEmail } from "./helpers/auth.ts";
import {
  type Access,
  discoverActions,
  discoverPages,
  discoverRoutes,
  urlFor,
} from "./helpers/auth-routes.ts";

type Who =
  | "anonymous"
  | "viewer"
  | "admin"
  | "viewerToken"
  | "adminToken"
  | "producerToken"
  | "revokedToken"
  | "expiredToken"
  | "expiredSession"
  | "endedSession";
const WHO: Who[] = [
  "anonymous",
  "viewer",
  "admin",
  "viewerToken",
  "adminToken",
  "producerToken",
  "revokedToken",
  "expiredToken",
  "expiredSession",
  "endedSession",
];
const roleOf: Partial<Record<Who, "viewer" | "admin" | "producer">> = {
  viewer: "viewer",
  admin: "admin",
  viewerToken: "viewer",
  adminToken: "admin",
  producerToken: "producer",
};
const isToken = (w: Who) => w.endsWith("Token");

/** What a caller may do with something that needs `access`. */
function verdict(access: Access, who: Who): "allow" | "unauthenticated" | "forbidden" {
  if (access === "public") return "allow";
  const role = roleOf[who];
  if (!role) return "unauthenticated";
  if (role === "admin") return "allow";
  // a producer may add jobs and nothing else; a viewer may not add jobs
  if (role === "producer" || access === "producer") return role === access ? "allow" : "forbidden";
  return access === "admin" ? "forbidden" : "allow";
}

async function contexts(): Promise<Record<Who, APIRequestContext>> {
  const make = (headers: Record<string, string> = {}) =>
    playwrightRequest.newContext({
      baseURL: E2E_BASE_URL,
      extraHTTPHeaders: { origin: E2E_BASE_URL, ...headers },
    });
  const revoked = await bearerFor("admin", "matrix-revoked");
  const expiredToken = await bearerFor("admin", "matrix-expired");
  // An admin of its own whose sessions end: ending the shared admin's would end the `admin` caller's.
  const ended = { email: uniqueEmail("matrix-ended"), password: "matrix-ended-password-1" };
  await createE2EUser(ended.email, ended.password, "admin");
  const endedSession = await apiAs(await make(), ended);
  const redis = e2eRedis();
  try {
    await revokeToken(redis, revoked.split("_")[1]);
    await expireToken(redis, expiredToken);
    await endSessions(redis, ended.email);
  } finally {
    await redis.quit();
  }
  const expired = await encode({
    token: { email: E2E_ADMIN.email, name: "Administrator", role: "admin", sub: E2E_ADMIN.email },
    secret: E2E_SECRET,
    maxAge: -3600,
  });
  return {
    anonymous: await make(),
    viewer: await apiAs(await make(), "viewer"),
    admin: await apiAs(await make(), "admin"),
    viewerToken: await make({ authorization: `Bearer ${await bearerFor("viewer", "matrix-viewer")}` }),
    adminToken: await make({ authorization: `Bearer ${await bearerFor("admin", "matrix-admin")}` }),
    producerToken: await make({
      authorization: `Bearer ${await bearerFor("producer", "matrix-producer")}`,
    }),
    revokedToken: await make({ authorization: `Bearer ${revoked}` }),
    expiredToken: await make({ authorization: `Bearer ${expiredToken}` }),
    expiredSession: await make({ cookie: `next-auth.session-token=${expired}` }),
    endedSession,
  };
}

let ctx: Record<Who, APIRequestContext>;
test.beforeAll(async () => {
  ctx = await contexts();
});
test.afterAll(async () => {
  for (const c of Object.values(ctx ?? {})) await c.dispose();
});

test("every route handler answers each caller as declared", async () => {
  const failures: string[] = [];
  for (const r of discoverRoutes()) {
    const url = urlFor(r.pattern);
    if (!url || !r.access) {
      failures.push(`${r.method} ${r.pattern}: ${url ? "no declared access" : "no sample parameters"}`);
      continue;
    }
    for (const who of WHO) {
      const mutating = r.method !== "GET";
      const res = await ctx[who].fetch(url, {
        method: r.method,
        maxRedirects: 0,
        ...(mutating ? { data: "{", headers: { "content-type": "application/json" } } : {}),
      });
      const status = res.status();
      const want = verdict(r.access, who);
      const ok =
        want === "unauthenticated"
          ? status === 401
          : want === "forbidden"
            ? status === 403
            : ![401, 403].includes(status) && status < 500;
      if (!ok) failures.push(`${r.method} ${url} as ${who}: ${status}, expected ${want}`);
    }
  }
  expect(failures).toEqual([]);
});

/**
 * A forbidden page answers with the 403 status (the console's layout checks the role before the
 * page streams); an allowed one must not carry the 403 UI, whose digest is this.
 */
const FORBIDDEN_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;403";

test("every page answers each caller as declared", async () => {
  const failures: string[] = [];
  for (const p of discoverPages()) {
    const url = urlFor(p.pattern);
    if (!url || !p.access) {
      failures.push(`${p.pattern}: ${url ? "no declared access" : "no sample parameters"}`);
      continue;
    }
    for (const who of WHO) {
      const res = await ctx[who].get(url, { maxRedirects: 0 });
      const status = res.status();
      const body = status === 200 || status === 403 ? await res.text() : "";
      // Pages read the session cookie only: a bearer token is no browser session.
      const want = isToken(who) && p.access !== "public" ? "unauthenticated" : verdict(p.access, who);
      let ok: boolean;
      if (want === "unauthenticated")
        ok = [302, 303, 307].includes(status) && /\/login/.test(res.headers().location ?? "");
      else if (want === "forbidden") ok = status === 403;
      else if (p.access === "public" && roleOf[who] && !isToken(who))
        ok = [200, 307].includes(status); // /login sends the signed-in on
      else ok = (status === 200 || status === 404) && !body.includes(FORBIDDEN_DIGEST);
      if (!ok) failures.push(`GET ${url} as ${who}: ${status}, expected ${want}`);
    }
  }
  expect(failures).toEqual([]);
});

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}

test("every server action answers each caller as declared", async () => {
  const manifest = JSON.parse(readFileSync(join(".next", "server", "server-reference-manifest.json"), "utf8"))
    .node as Record<string, ManifestEntry>;
  const failures: string[] = [];
  let called = 0;
  for (const a of discoverActions()) {
    if (!a.access) {
      failures.push(`${a.file} ${a.name}: not built with action(role, …)`);
      continue;
    }
    const found = Object.entries(manifest).find(
      ([, m]) =>
        m.exportedName === a.name && m.filename?.replaceAll("\\", "/").endsWith(a.file.replaceAll("\\", "/")),
    );
    if (!found) continue; // not imported by any page: not callable, the static check covers it
    const [id, entry] = found;
    const page = Object.keys(entry.workers)[0]
      .replace(/^app/, "")
      .replace(/\/page$/, "");
    const url = urlFor(
      `/${page
        .split("/")
        .filter((s) => s && !s.startsWith("("))
        .join("/")}`,
    );
    if (!url) {
      failures.push(`${a.name}: no sample parameters for ${page}`);
      continue;
    }
    called++;
    for (const who of WHO) {
      const res = await ctx[who].post(url, {
        maxRedirects: 0,
        headers: {
          "next-action": id,
          "content-type": "text/plain;charset=UTF-8",
          accept: "text/x-component",
        },
        data: JSON.stringify(["matrix: not a valid input"]),
      });
      const status = res.status();
      const text = status === 200 ? await res.text() : "";
      const frame = Number(text.match(/"ok":false,"error":"[^"]*","status":(\d{3})/)?.[1] ?? 0);
      const want = isToken(who) ? "unauthenticated" : verdict(a.access, who);
      const ok =
        want === "unauthenticated"
          ? frame === 401 ||
            ([302, 303, 307].includes(status) && /\/login/.test(res.headers().location ?? ""))
          : want === "forbidden"
            ? frame === 403
            : frame === 400;
      if (!ok)
        failures.push(
          `action ${a.name} at ${url} as ${who}: HTTP ${status}, frame ${frame || "none"}, expected ${want}`,
        );
    }
  }
  expect(failures).toEqual([]);
  expect(called).toBeGreaterThan(0);
});
