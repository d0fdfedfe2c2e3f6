/**
 * The console's own requirement on top of lib/config.ts: it signs session cookies, so it needs a
 * NEXTAUTH_SECRET (the worker and the CLI do not). Checked when the console starts
 * (instrumentation.ts) and by `npm start` (scripts/start.ts) before anything runs.
 *
 * Next.js has read the .env files into the environment by then, by the rule lib/env-files.ts
 * follows (same files, same order, the environment first); reading them again here sets only what
 * is still unset, so it changes nothing under `next start` and the rule holds however it started.
 */
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { loadEnvFiles } from "./env-files.ts";

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
    loadEnvFiles(process.env);
    consoleConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`requeue console: ${err.message}`);
    process.exit(1);
  }
}
