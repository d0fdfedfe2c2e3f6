/**
 * POST /api/v1/queues/{queue}/jobs — add one job (`{ data, jobId?, delayMs?, maxAttempts?,
 * backoff?, metadata? }`) or a batch (`{ jobs: [...] }`, at most 1000), with the library's rules
 * and messages (app/_lib/ops/add-jobs.ts): 400 names the field, 413 a payload over
 * JOB_MAX_PAYLOAD_BYTES. Answers 201 with `{ id, added }` (a batch: `{ jobs: [{ id, added }] }`,
 * in order); `added: false` means a job with that id existed and nothing changed. Open to admins
 * and to `producer` tokens, which may do nothing else. Audited: who added, to which queue, how many.
 *
 * GET /api/v1/queues/{queue}/jobs?state=waiting|active|scheduled|completed&cursor=&limit= — a page
 * of one state (lib/queue/browse.ts).
 */
import { route } from "#app/_lib/http.ts";
import { addJobsBody, addJobsOverHttp } from "#app/_lib/ops/add-jobs.ts";
import { jobsQuery, listQueueJobs } from "#app/_lib/ops/jobs.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { queueParam } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route(
  { role: "viewer", params: queueParam, query: jobsQuery },
  ({ params, query, principal }) => listQueueJobs(principal, params.queue, query),
);

export const POST = route(
  {
    role: "producer",
    params: queueParam,
    body: addJobsBody,
    audit: { action: "jobs.add", target: ({ params }) => params.queue },
  },
  async ({ params, body, note }) => {
    const batch = "jobs" in body;
    const results = await addJobsOverHttp(consoleRedis(), params.queue, batch ? body.jobs : [body], batch);
    const added = results.filter((r) => r.added).length;
    note({ count: added, detail: `${added} of ${results.length} added` });
    return Response.json(batch ? { jobs: results } : results[0], {
      status: 201,
      headers: { "cache-control": "no-store" },
    });
  },
);
