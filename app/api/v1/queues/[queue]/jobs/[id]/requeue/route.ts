/** POST /api/v1/queues/{queue}/jobs/{id}/requeue — a completed job runs again with the same payload (409 with `state` when it is elsewhere). */
import { route } from "#app/_lib/http.ts";
import { runJobAction } from "#app/_lib/ops/jobs.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const POST = route(
  {
    role: "admin",
    params: entryParams,
    audit: { action: "job.requeue", target: ({ params }) => `${params.queue}/${params.id}` },
  },
  ({ params, principal }) => runJobAction(principal, params.queue, params.id, "requeue"),
);
