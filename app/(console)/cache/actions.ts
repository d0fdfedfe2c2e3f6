"use server";
/** The cache page's mutations (admin): flush a namespace, invalidate a tag — audited, checked on the server. */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { HttpError } from "#app/_lib/http.ts";
import { flushNamespace, invalidateTag, NAMESPACE_PATTERN, TAG_PATTERN } from "#app/_lib/ops/cache.ts";

/**
 * The action frame knows library codes (NOT_FOUND, INVALID_INPUT) and Redis-down errors, not
 * HttpError: carry the status over in a form it maps to the same status and message.
 */
function asLibraryError(err: unknown): unknown {
  if (err instanceof HttpError && err.status === 404)
    return Object.assign(new Error(err.message), { code: "NOT_FOUND" });
  if (err instanceof HttpError && err.status === 400)
    return Object.assign(new Error(err.message), { code: "INVALID_INPUT" });
  // The name, not the message, says ECONNREFUSED: the frame audits the message as the cache said it.
  if (err instanceof HttpError && err.status === 503)
    return Object.assign(new Error(err.message), { name: "ECONNREFUSED" });
  return err;
}

const rethrow = (err: unknown): never => {
  throw asLibraryError(err);
};

export const flushNamespaceAction = action(
  "admin",
  z.object({ namespace: z.string().regex(NAMESPACE_PATTERN, "a namespace name") }),
  ({ namespace }) => flushNamespace(namespace).catch(rethrow),
  { audit: { action: "cache.flush", target: ({ namespace }) => namespace } },
);

export const invalidateTagAction = action(
  "admin",
  z.object({ tag: z.string().trim().regex(TAG_PATTERN, "1-200 characters without spaces") }),
  async ({ tag }, _principal, note) => {
    const res = await invalidateTag(tag).catch(rethrow);
    note({ count: res.namespaces });
    return res;
  },
  { audit: { action: "cache.invalidate", target: ({ tag }) => tag } },
);
