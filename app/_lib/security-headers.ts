/**
 * The security headers that depend on the request or on the deployment, set by proxy.ts on every
 * response it handles (the fixed ones — nosniff, frame and referrer policies — are in
 * next.config.ts):
 *
 * - Content-Security-Policy with a fresh nonce per request and no 'unsafe-inline' for scripts:
 *   Next.js reads the nonce from this header on the request and puts it on its own scripts, so
 *   they run, while a script injected into a page (it has no nonce) does not. Pages must render
 *   per request for that, which the root layout ensures.
 * - Strict-Transport-Security when the console is served over https (NEXTAUTH_URL says so).
 */

/** 16 random bytes, base64: unguessable and new for every request. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts that a nonce-bearing script loads run too (Next's chunks); in
    // development React needs eval for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Styles keep 'unsafe-inline': the charts (recharts) and progress bars set style attributes,
    // which a nonce cannot allow (it covers <style> and <script> elements only). A style cannot
    // run code; scripts are what the nonce protects.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * A year, without includeSubDomains: the console is often one host among others of a company
 * domain, whose other hosts it must not force onto https.
 */
export const HSTS = "max-age=31536000";

/** The headers for one response. `nextAuthUrl` is the console's public URL (NEXTAUTH_URL). */
export function securityHeaders(opts: {
  nonce: string;
  nextAuthUrl?: string;
  dev?: boolean;
}): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(opts.nonce, opts.dev),
  };
  if (opts.nextAuthUrl?.startsWith("https://")) headers["Strict-Transport-Security"] = HSTS;
  return headers;
}

/** The script nonce of a Content-Security-Policy made by `contentSecurityPolicy`, if any. */
export function nonceOf(csp: string | null | undefined): string | undefined {
  return csp?.match(/'nonce-([A-Za-z0-9+/=]{1,64})'/)?.[1];
}
