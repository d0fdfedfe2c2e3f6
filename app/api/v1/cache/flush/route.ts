/** POST /api/v1/cache/flush {namespace} — every entry of one namespace becomes a miss (admin). */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { flushNamespace, NAMESPACE_PATTERN } from "#app/_lib/ops/cache.ts";

export const dynamic = "force-dynamic";

const body = z.object({
  namespace: z.string({ error: 'Send {"namespace": "<name>"}' }).regex(NAMESPACE_PATTERN, {
    error: "namespace: 1-64 letters, digits, '_', '.' or '-'",
  }),
});

export const POST = route(
  { role: "admin", body, audit: { action: "cache.flush", target: ({ body }) => body.namespace } },
  ({ body }) => flushNamespace(body.namespace),
);
