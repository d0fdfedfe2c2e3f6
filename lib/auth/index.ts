/**
 * lib/auth: users, API tokens, the audit log, sign-in rate limiting and field masking.
 * Framework-free (no next/* or React): the console, the worker and the CLI share it.
 * Every function takes the Redis client first, so the CLI can pass its own.
 */
export * from "./audit.ts";
export * from "./audit-refused.ts";
export * from "./mask.ts";
export * from "./rate-limit.ts";
export * from "./tokens.ts";
export * from "./types.ts";
export * from "./users.ts";
