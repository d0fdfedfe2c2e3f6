/** GET /api/v1/alerts/history?limit=&id= — state changes, newest first, with webhook outcomes. */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { ALERT_IDS, alertHistory, HISTORY_MAX } from "#lib/alerts/index.ts";

export const dynamic = "force-dynamic";

const query = z.object({
  limit: z.coerce
    .number({ error: `limit must be a whole number between 1 and ${HISTORY_MAX}` })
    .int({ error: `limit must be a whole number between 1 and ${HISTORY_MAX}` })
    .min(1, { error: `limit must be between 1 and ${HISTORY_MAX}` })
    .max(HISTORY_MAX, { error: `limit must be between 1 and ${HISTORY_MAX}` })
    .default(100),
  id: z.enum(ALERT_IDS, { error: `id must be one of ${ALERT_IDS.join(", ")}` }).optional(),
});

export const GET = route({ role: "viewer", query }, async ({ query }) => ({
  history: await alertHistory(consoleRedis(), { limit: query.limit, id: query.id }),
}));
