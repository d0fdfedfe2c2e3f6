import type { NextConfig } from "next";

const isDev = process.env.NODE_ENV === "development";

/**
 * Security headers on every response. Scripts: Next.js inlines its bootstrap scripts; a per-request
 * nonce would force every page to render dynamically and break prerendered ones, so production
 * allows 'self' 'unsafe-inline' (no external script source is allowed). Styles: charts set inline
 * styles. docs/access.md explains the choice.
 */
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // The Docker image runs the standalone server; `npm start` runs `next start`, which needs the default output.
  output: process.env.NEXT_STANDALONE === "1" ? "standalone" : undefined,
  poweredByHeader: false,
  turbopack: { root: import.meta.dirname },
  serverExternalPackages: ["ioredis"],
  // forbidden() and app/forbidden.tsx for a viewer on an admin page. Server actions take bodies up
  // to API_BODY_MAX_BYTES, as route handlers do (app/_lib/http.ts readBody); Next answers 413 past it.
  experimental: {
    authInterrupts: true,
    serverActions: { bodySizeLimit: Number(process.env.API_BODY_MAX_BYTES) || 1024 * 1024 },
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
