"use server";
/** The cache page's mutations (admin): flush a namespace, invalidate a tag — audited, checked on the server. */
import { z } from "zod";
import { audit } from "#lib/auth/audit";
import { action } from "@/app/_lib/action.ts";
import { flushNamespace, invalidateTag, NAMESPACE_PATTERN, TAG_PATTERN } from "@/app/api/v1/cache/_ops.ts";

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
      throw err;
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
      throw err;
    }
  },
);
