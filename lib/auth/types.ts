/**
 * The vocabulary of access: roles, the errors lib/auth throws (with stable codes the API and
 * action frames map to statuses), and the store options every function takes.
 */

import { getConfig } from "../config.ts";
import { RequeueError } from "../errors.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";

export const ROLES = ["viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return value === "viewer" || value === "admin";
}

/**
 * What an API token may be: a user's role, or `producer` — a token for a service that only adds
 * jobs (POST /api/v1/queues/{queue}/jobs) and may read or change nothing else. No user has it.
 */
export const TOKEN_ROLES = ["viewer", "admin", "producer"] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export function isTokenRole(value: unknown): value is TokenRole {
  return isRole(value) || value === "producer";
}

export class AuthError extends RequeueError<"NOT_FOUND" | "INVALID_INPUT" | "CONFLICT"> {
  constructor(code: "NOT_FOUND" | "INVALID_INPUT" | "CONFLICT", message: string) {
    super(code, message);
    this.name = "AuthError";
  }
}

/** Options shared by every lib/auth function: tests and tools pass their own key prefix. */
export interface StoreOptions {
  prefix?: string;
}

export function authKeys(opts: StoreOptions = {}) {
  return globalKeys(opts.prefix ?? getConfig().REDIS_KEY_PREFIX);
}

export type { RedisClient };
