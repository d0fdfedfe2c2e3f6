/**
 * Who is calling: a signed-in user (next-auth session) or an API token. Every route handler,
 * server action and page asks here; the proxy is only a first gate.
 *
 * This is the one place that reads sessions (`sessionPrincipal`). The session's JWT says who
 * signed in and under which session version; the user record and the current version are
 * re-read from Redis on every request (one HGETALL), so a deleted user, a role or password
 * change and "sign out everywhere" end the session at its next request, not when the JWT
 * expires. proxy.ts only checks the JWT (no Redis): a page's layout stops an ended session.
 * Bearer tokens are checked against their SHA-256 in Redis (lib/auth/tokens); revoked and
 * expired tokens get 401.
 * Cookie-authenticated mutations from another site are refused here (403) as well as in proxy.ts.
 */

import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getToken } from "next-auth/jwt";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { clientIp, sessionCookie } from "#app/api/auth/options.ts";
import { getUserSession, verifyToken } from "#lib/auth/index.ts";
import { getConfig } from "#lib/config.ts";
import { auditForbiddenPage } from "./forbidden-audit.ts";
import { HttpError } from "./http-error.ts";
import { hasRole, type Principal, type SessionPrincipal, type UserRole } from "./roles.ts";

export { hasRole, type Principal, type Role, type SessionPrincipal, type UserRole } from "./roles.ts";

/** The signed-in user of the current request (RSC, action or route handler), or null. */
async function sessionPrincipal(ip: string): Promise<SessionPrincipal | null> {
  const cookie = sessionCookie();
  // The session cookie only (no `headers`: getToken would also take a JWT from Authorization).
  // A malformed, expired or foreign cookie decodes to null.
  const jwt = await getToken({
    req: { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: getConfig().NEXTAUTH_SECRET,
    secureCookie: cookie.secure,
    cookieName: cookie.name,
  }).catch(() => null);
  if (typeof jwt?.email !== "string" || !jwt.email) return null;
  const found = await getUserSession(consoleRedis(), jwt.email);
  // Sessions from before session versions carry none, and match a user that has none yet.
  if (!found || found.sessionVersion !== (jwt.sv ?? "")) return null;
  const { user } = found;
  return { id: user.email, email: user.email, name: user.name, role: user.role, via: "session", ip };
}

async function tokenPrincipal(token: string, ip: string): Promise<Principal | null> {
  const info = await verifyToken(consoleRedis(), token);
  if (!info) return null;
  return { id: `token:${info.id}`, name: `token ${info.name}`, role: info.role, via: "token", ip };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A browser sends Sec-Fetch-Site and Origin with every mutation; a request another site made
 * carries its origin there. Requests without either come from programs, which cookies do not
 * ride along with by accident, so they are not cross-site forgeries.
 */
export function isCrossSite(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** Route handlers: the session cookie or `Authorization: Bearer <token>`; null when anonymous. */
export async function authenticateRequest(request: Request): Promise<Principal | null> {
  const ip = clientIp(request.headers);
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) return tokenPrincipal(authorization.slice(7).trim(), ip);
  const principal = await sessionPrincipal(ip);
  if (principal && MUTATING.has(request.method) && isCrossSite(request)) {
    throw new HttpError(403, "Cross-site request refused");
  }
  return principal;
}

/** Server components and server actions: the signed-in user, or null. */
export async function currentPrincipal(): Promise<SessionPrincipal | null> {
  return sessionPrincipal(clientIp(await headers()));
}

/**
 * Pages: the signed-in user with at least `role`. Anonymous → redirect to /login;
 * signed in without the role → the 403 page (Next's `forbidden()`).
 */
export async function requirePrincipal(role: UserRole): Promise<SessionPrincipal> {
  const principal = await currentPrincipal();
  if (!principal) {
    const h = await headers();
    const path = h.get("x-requeue-path") ?? "/";
    redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (!hasRole(principal, role)) {
    const path = (await headers()).get("x-requeue-path") ?? "";
    await auditForbiddenPage(principal, path.split("?")[0], `This page needs the ${role} role`);
    forbidden();
  }
  return principal;
}
