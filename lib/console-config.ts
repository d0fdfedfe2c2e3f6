/**
 * The console's own requirement on top of lib/config.ts: it signs session cookies, so it needs a
 * NEXTAUTH_SECRET (the worker and the CLI do not). Checked when the console starts
 * (instrumentation.ts) and by `npm start` (scripts/start.ts) before anything runs.
 */
import { type Config, ConfigError, parseConfig } from "./config.ts";

/** Parses the environment for the console; throws ConfigError (never quoting a secret). */
export function consoleConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = parseConfig(env);
  if (!config.NEXTAUTH_SECRET) {
    throw new ConfigError([
      "NEXTAUTH_SECRET must be set for the console: it signs the session cookies (make one with: openssl rand -base64 32)",
    ]);
  }
  return config;
}

/** At the console's start: a bad configuration ends the process with its message (exit code 1). */
export function exitOnBadConsoleConfig(): void {
  try {
    consoleConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`requeue console: ${err.message}`);
    process.exit(1);
  }
}
