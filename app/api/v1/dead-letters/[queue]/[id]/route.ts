/** GET /api/v1/dead-letters/{queue}/{id} — one dead letter in full; payload masked for viewers. */
import { route } from "@/app/_lib/http.ts";
import { maskForRole } from "@/lib/auth/mask.ts";
import { getDeadLetter } from "@/lib/dlq/index.ts";
import { consoleRedis } from "../../_ops.ts";
import { entryParams } from "../../_schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: entryParams }, async ({ params, principal }) => {
  const d = await getDeadLetter(consoleRedis(), params.queue, params.id);
  return {
    ...d,
    payload: maskForRole(d.payload, principal.role),
    metadata: maskForRole(d.metadata, principal.role),
  };
});
