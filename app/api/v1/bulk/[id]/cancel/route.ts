/** POST /api/v1/bulk/{id}/cancel — stop a running bulk operation after its current chunk. */
import { conflict, notFound, route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { bulkParams } from "#app/_lib/ops/schemas.ts";
import { audit } from "#lib/auth/audit.ts";
import { bulkProgress, cancelBulk } from "#lib/dlq/index.ts";

export const dynamic = "force-dynamic";

export const POST = route({ role: "admin", params: bulkParams }, async ({ params, principal }) => {
  const client = consoleRedis();
  const before = await bulkProgress(client, params.id);
  if (!before) throw notFound(`No bulk operation ${params.id}`);
  if (!(await cancelBulk(client, params.id)))
    throw conflict(`Bulk operation ${params.id} is already ${before.state}`);
  await audit(principal, "dlq.bulk.cancel", { target: `bulk ${params.id}`, outcome: "ok" });
  return (await bulkProgress(client, params.id)) ?? before;
});
