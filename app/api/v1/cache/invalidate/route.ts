/** POST /api/v1/cache/invalidate {tag} — every entry with the tag, in every namespace, becomes a miss (admin). */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { invalidateTag, TAG_PATTERN } from "#app/_lib/ops/cache.ts";

export const dynamic = "force-dynamic";

const body = z.object({
  tag: z
    .string({ error: 'Send {"tag": "<tag>"}, e.g. {"tag": "document:42"}' })
    .trim()
    .regex(TAG_PATTERN, { error: "tag: 1-200 characters without spaces, e.g. document:42" }),
});

export const POST = route(
  { role: "admin", body, audit: { action: "cache.invalidate", target: ({ body }) => body.tag } },
  async ({ body, note }) => {
    const res = await invalidateTag(body.tag);
    note({ count: res.namespaces });
    return res;
  },
);
