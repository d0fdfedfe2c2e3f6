/**
 * Errors of the cache helper. Each has a stable `code` a caller can branch on and keeps the
 * underlying error as `cause`. Redis failures never reach a getOrSet caller (it gets the
 * loader's value); these errors reach callers only for programming mistakes (a secret value,
 * a bad namespace or tag) and for the plain get/set/delete calls that ask for them.
 */
import { RequeueError } from "../errors.ts";

export type CacheErrorCode =
  | "CACHE_SECRET_REFUSED"
  | "CACHE_INVALID_NAMESPACE"
  | "CACHE_INVALID_ARGUMENT"
  | "CACHE_TIMEOUT"
  | "CACHE_UNAVAILABLE"
  | "CACHE_CIRCUIT_OPEN"
  | "CACHE_CORRUPT_VALUE"
  | "CACHE_WRITE_BEHIND_FAILED";

export class CacheError extends RequeueError<CacheErrorCode> {
  constructor(code: CacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "CacheError";
  }
}

export const isCacheError = (e: unknown, code?: CacheErrorCode): e is CacheError =>
  e instanceof CacheError && (code === undefined || e.code === code);
