/**
 * Runs once when the console's server starts (`next start`, `npm start`, the Docker image's
 * server.js): a bad setting, or a missing or weak NEXTAUTH_SECRET, stops the console here
 * (lib/console-config.ts) instead of failing at the first request.
 */
export async function register(): Promise<void> {
  // `next build` may load this file too, where no runtime secret exists yet (a Docker build has none).
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { exitOnBadConsoleConfig } = await import("./lib/console-config.ts");
  exitOnBadConsoleConfig();
}
