"use server";
/** The cache page's mutations (admin): flush a namespace, invalidate a tag — audited, checked on the server. */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { flushNamespace, invalidateTag, NAMESPACE_PATTERN, TAG_PATTERN } from "#app/_lib/ops/cache.ts";

export const flushNamespaceAction = action(
  "admin",
  z.object({ namespace: z.string().regex(NAMESPACE_PATTERN, "a namespace name") }),
  ({ namespace }) => flushNamespace(namespace),
  { audit: { action: "cache.flush", target: ({ namespace }) => namespace } },
);

export const invalidateTagAction = action(
  "admin",
  z.object({ tag: z.string().trim().regex(TAG_PATTERN, "1-200 characters without spaces") }),
  async ({ tag }, _principal, note) => {
    const res = await invalidateTag(tag);
    note({ count: res.namespaces });
    return res;
  },
  { audit: { action: "cache.invalidate", target: ({ tag }) => tag } },
);
