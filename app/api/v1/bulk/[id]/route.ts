/** GET /api/v1/bulk/{id} — progress of a bulk requeue or delete (kept a day after it ends). */
import { notFound, route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { bulkParams } from "#app/_lib/ops/schemas.ts";
import { bulkProgress } from "#lib/dlq/index.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: bulkParams }, async ({ params }) => {
  const p = await bulkProgress(consoleRedis(), params.id);
  if (!p) throw notFound(`No bulk operation ${params.id} (unknown, or ended more than a day ago)`);
  return p;
});
