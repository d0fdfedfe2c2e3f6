/**
 * GET /api/v1/queues/{queue}/history?range=1h|24h|7d — the queue's counters per minute (averaged
 * over 1-minute, 15-minute or 2-hour steps) and processing time p50/p95 (lib/queue/history.ts).
 * 404 for an unknown queue.
 */
import { z } from "zod";
import { notFound, route } from "#app/_lib/http.ts";
import { queueExists } from "#app/_lib/ops/queues.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { queueParam } from "#app/_lib/ops/schemas.ts";
import type { QueueHistory } from "#components/api-types.ts";
import { queueHistory } from "#lib/queue/history.ts";
import { HISTORY_RANGE_NAMES, type HistoryRange } from "#lib/queue/history-types.ts";

export const dynamic = "force-dynamic";

const query = z
  .object({
    range: z
      .enum(HISTORY_RANGE_NAMES as [HistoryRange, ...HistoryRange[]], {
        error: `range must be one of ${HISTORY_RANGE_NAMES.join(", ")}`,
      })
      .default("1h"),
  })
  .strict();

export const GET = route(
  { role: "viewer", params: queueParam, query },
  async ({ params, query }): Promise<QueueHistory> => {
    const client = consoleRedis();
    if (!(await queueExists(client, params.queue))) throw notFound(`No queue named "${params.queue}"`);
    return queueHistory(client, params.queue, query.range);
  },
);
