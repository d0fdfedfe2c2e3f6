/**
 * GET /api/v1/dead-letters/count — how many dead letters match the filters right now. With text
 * it reads at most API_SCAN_LIMIT entries: `partial: true` then means "at least `count`", and
 * `nextCursor` (as `cursor`, with the same filters) counts on from there.
 */
import { route } from "#app/_lib/http.ts";
import { assertQueue, toDlqFilter } from "#app/_lib/ops/dead-letters.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { resumableQuery } from "#app/_lib/ops/schemas.ts";
import { getConfig } from "#lib/config.ts";
import { countMatches } from "#lib/dlq/index.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: resumableQuery }, async ({ query: { cursor, ...f } }) => {
  await assertQueue(f.queue);
  return countMatches(consoleRedis(), toDlqFilter(f), { scanMax: getConfig().API_SCAN_LIMIT, cursor });
});
