"use server";
/** The cache page's mutations (admin): flush a namespace, invalidate a tag — audited, checked on the server. */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { HttpError } from "#app/_lib/http.ts";
import { flushNamespace, invalidateTag, NAMESPACE_PATTERN, TAG_PATTERN } from "#app/_lib/ops/cache.ts";
import { audit } from "#lib/auth/audit.ts";

/**
 * The action frame knows library codes (NOT_FOUND, INVALID_INPUT) and Redis-down errors, not
 * HttpError: carry the status over in a form it maps to the same status and message.
 */
function asLibraryError(err: unknown): unknown {
  if (err instanceof HttpError && err.status === 404)
    return Object.assign(new Error(err.message), { code: "NOT_FOUND" });
  if (err instanceof HttpError && err.status === 400)
    return Object.assign(new Error(err.message), { code: "INVALID_INPUT" });
  if (err instanceof HttpError && err.status === 503) return new Error(`ECONNREFUSED ${err.message}`);
  return err;
}

export const flushNamespaceAction = action(
  "admin",
  z.object({ namespace: z.string().regex(NAMESPACE_PATTERN, "a namespace name") }),
  async ({ namespace }, principal) => {
    try {
      const res = await flushNamespace(namespace);
      await audit(principal, "cache.flush", { target: namespace, outcome: "ok" });
      return res;
    } catch (err) {
      await audit(principal, "cache.flush", {
        target: namespace,
        outcome: "error",
        detail: (err as Error).message,
      });
      throw asLibraryError(err);
    }
  },
);

export const invalidateTagAction = action(
  "admin",
  z.object({ tag: z.string().trim().regex(TAG_PATTERN, "1-200 characters without spaces") }),
  async ({ tag }, principal) => {
    try {
      const res = await invalidateTag(tag);
      await audit(principal, "cache.invalidate", { target: tag, count: res.namespaces, outcome: "ok" });
      return res;
    } catch (err) {
      await audit(principal, "cache.invalidate", {
        target: tag,
        outcome: "error",
        detail: (err as Error).message,
      });
      throw asLibraryError(err);
    }
  },
);
