/** GET /api/v1/queues/{queue} — one queue's sizes, rates and per-minute series; 404 if unknown. */
import { notFound, route } from "#app/_lib/http.ts";
import { queueExists, summarize } from "#app/_lib/ops/queues.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { queueParam } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: queueParam }, async ({ params }) => {
  const client = consoleRedis();
  if (!(await queueExists(client, params.queue))) throw notFound(`No queue named "${params.queue}"`);
  return summarize(client, params.queue);
});
