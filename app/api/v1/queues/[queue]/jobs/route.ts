/** GET /api/v1/queues/{queue}/jobs?state=waiting|active|scheduled|completed&cursor=&limit= — a page of one state (lib/queue/browse.ts). */
import { route } from "#app/_lib/http.ts";
import { jobsQuery, listQueueJobs } from "#app/_lib/ops/jobs.ts";
import { queueParam } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route(
  { role: "viewer", params: queueParam, query: jobsQuery },
  ({ params, query, principal }) => listQueueJobs(principal, params.queue, query),
);
