import type { NextConfig } from "next";

/**
 * Fixed security headers on every response. The Content-Security-Policy (a per-request script
 * nonce) and Strict-Transport-Security are set per request by proxy.ts
 * (app/_lib/security-headers.ts).
 */
const securityHeaders = [
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
