/** GET /api/v1/dead-letters/count — how many dead letters match the filters right now. */
import { route } from "@/app/_lib/http.ts";
import { countDeadLetters } from "@/lib/dlq/index.ts";
import { assertQueue, consoleRedis, toDlqFilter } from "../_ops.ts";
import { filterQuery } from "../_schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: filterQuery }, async ({ query }) => {
  await assertQueue(query.queue);
  return { count: await countDeadLetters(consoleRedis(), toDlqFilter(query)) };
});
