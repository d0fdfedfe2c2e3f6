/**
 * GET /api/v1/queues/{queue}/jobs/{id}/logs?cursor=&limit= — a page of the job's log lines
 * (job.log() in its handler; redacted when written), oldest first, and its progress. `next` is
 * the cursor for the lines after these: poll with it to follow a running job. 404 when the queue
 * has no job with this id (a completed job's logs are deleted with it).
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";
import { getJobLogs, LOG_PAGE_MAX } from "#lib/queue/logs.ts";

export const dynamic = "force-dynamic";

const query = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "a line number from 1")
    .optional(),
  limit: z.coerce.number().int().min(1).max(LOG_PAGE_MAX).optional(),
});

export const GET = route({ role: "viewer", params: entryParams, query }, async ({ params, query }) =>
  getJobLogs(consoleRedis(), params.queue, params.id, query),
);
