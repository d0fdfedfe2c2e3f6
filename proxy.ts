/**
 * The first gate (Next.js 16 proxy; it replaced middleware.ts). It only keeps the obvious out;
 * every page, route handler and server action checks the principal again on the server
 * (app/_lib/principal.ts).
 *
 * - Pages without a valid session cookie → /login?callbackUrl=<the page>.
 * - /login, /api/auth/*, /api/health: public.
 * - /api/* (v1, metrics, …): passed through; the handlers answer 401/403 themselves.
 * - Cookie-authenticated mutations of /api/* from another site → 403 (bearer calls are exempt:
 *   a browser never attaches a bearer token by itself).
 * - Every response it handles gets this request's Content-Security-Policy (a fresh script nonce,
 *   which Next.js reads from the request's copy of the header to mark its own scripts) and, over
 *   https, Strict-Transport-Security (app/_lib/security-headers.ts). Fixed headers are in
 *   next.config.ts `headers()`.
 */
import { type NextRequest, NextResponse } from "next/server";
import { decode } from "next-auth/jwt";
import { newNonce, securityHeaders } from "#app/_lib/security-headers.ts";

const PUBLIC_PAGES = ["/login"];
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function sessionCookie(request: NextRequest): string | undefined {
  const secure = (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
  return request.cookies.get(secure ? "__Secure-next-auth.session-token" : "next-auth.session-token")?.value;
}

async function hasValidSession(request: NextRequest): Promise<boolean> {
  const token = sessionCookie(request);
  const secret = process.env.NEXTAUTH_SECRET;
  if (!token || !secret) return false;
  try {
    const payload = await decode({ token, secret });
    return Boolean(payload?.email);
  } catch {
    return false; // expired, tampered or signed with another secret
  }
}

function crossSite(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== (request.headers.get("x-forwarded-host") ?? request.headers.get("host"));
  } catch {
    return true;
  }
}

export async function proxy(request: NextRequest) {
  const headers = securityHeaders({
    nonce: newNonce(),
    nextAuthUrl: process.env.NEXTAUTH_URL,
    dev: process.env.NODE_ENV === "development",
  });
  const response = await gate(request, headers);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** A file name (favicon.ico, robots.txt, …): no sign-in needed, as before the CSP was set here. */
const FILE = /\.[a-zA-Z0-9]{1,16}$/;

async function gate(request: NextRequest, security: Record<string, string>): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;

  if (pathname.startsWith("/api/")) {
    const bearer = request.headers.get("authorization")?.startsWith("Bearer ");
    if (
      !pathname.startsWith("/api/auth/") &&
      MUTATING.has(request.method) &&
      !bearer &&
      sessionCookie(request) &&
      crossSite(request)
    ) {
      return NextResponse.json(
        { error: { status: 403, message: "Cross-site request refused" } },
        { status: 403 },
      );
    }
    return NextResponse.next();
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-requeue-path", `${pathname}${search}`);
  // Next.js takes the nonce for its scripts from the CSP header of the request it renders.
  requestHeaders.set("content-security-policy", security["Content-Security-Policy"]);
  if (!PUBLIC_PAGES.includes(pathname) && !FILE.test(pathname) && !(await hasValidSession(request))) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  // Everything but Next's own assets (a 404 for /x.png is a page too, and gets the CSP).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
