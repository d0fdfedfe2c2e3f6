/** /api/auth/* — next-auth's own endpoints (sign-in, callback, session, csrf, sign-out). Public. */
import NextAuth from "next-auth";
import { authOptions } from "#app/api/auth/options.ts";
import { getConfig } from "#lib/config.ts";

export const dynamic = "force-dynamic";

async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  const response: Response = await NextAuth(request as never, context as never, authOptions());
  const [action, provider] = (await context.params).nextauth ?? [];
  if (request.method === "GET" && action === "callback" && provider !== "credentials") {
    // next-auth sends the browser only to its base URL's origin (NEXTAUTH_URL); request.url may
    // name the host differently (the server's own bind address).
    return landOnSameSite(response, new URL(getConfig().NEXTAUTH_URL ?? request.url).origin);
  }
  return response;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The identity provider sends the browser back here with a cross-site navigation. A redirect
 * from here would still count as cross-site, and the browser would hold back the SameSite=Strict
 * session cookie just set: the user would land on /login although signed in. So the redirect
 * becomes a page that moves on by itself (meta refresh, no script): that navigation starts on
 * this site, and the cookie goes with it. Set-Cookie headers are kept as they are.
 */
function landOnSameSite(response: Response, origin: string): Response {
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || !location) return response;
  const target = new URL(location, origin);
  if (target.origin !== origin) return response;
  const href = escapeHtml(`${target.pathname}${target.search}${target.hash}`);
  const headers = new Headers(response.headers);
  headers.delete("location");
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("cache-control", "no-store");
  const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Signing in…</title><p>Signing in… <a href="${href}">Continue</a></p>`;
  return new Response(html, { status: 200, headers });
}

export { handler as GET, handler as POST };
