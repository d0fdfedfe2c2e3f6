/** GET /api/v1/dead-letters/{queue}/{id} — one dead letter in full, as the caller may see it (lib/dlq/view.ts). */
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";
import { getDeadLetter } from "#lib/dlq/index.ts";
import { viewDeadLetter } from "#lib/dlq/view.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: entryParams }, async ({ params, principal }) =>
  viewDeadLetter(await getDeadLetter(consoleRedis(), params.queue, params.id), principal.role),
);
