/**
 * Runs once when the console's server starts (`next start`, `npm start`, the Docker image's
 * server.js): a bad setting, or a missing or weak NEXTAUTH_SECRET, stops the console here with
 * lib/config.ts's message (which never quotes a secret) instead of failing at the first request.
 */
export async function register(): Promise<void> {
  // `next build` may load this file too, where no runtime secret exists yet (a Docker build has none).
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { consoleConfig } = await import("./lib/console-config.ts");
  const { ConfigError } = await import("./lib/config.ts");
  try {
    consoleConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`requeue console: ${err.message}`);
    process.exit(1);
  }
}
