/**
 * Runs once per console process before it serves a request (Next.js instrumentation hook, for
 * `next start`, `npm start` and the Docker image's server.js):
 * - a bad setting, or a missing or weak NEXTAUTH_SECRET, stops the console here
 *   (lib/console-config.ts) instead of failing at the first request;
 * - every request gets the socket address it came from in a header no client can set
 *   (lib/auth/client-address.ts explains why Next's own x-forwarded-for cannot be trusted).
 */
export async function register(): Promise<void> {
  // `next build` may load this file too, where no runtime secret exists yet (a Docker build has none).
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { exitOnBadConsoleConfig } = await import("#lib/console-config.ts");
  exitOnBadConsoleConfig();
  const { stampSocketAddresses } = await import("#lib/auth/client-address.ts");
  stampSocketAddresses();
}
