/** POST /api/v1/queues/{queue}/jobs/{id}/delete — a waiting or scheduled job is removed (409 with `state` when it is elsewhere). */
import { route } from "#app/_lib/http.ts";
import { runJobAction } from "#app/_lib/ops/jobs.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const POST = route(
  {
    role: "admin",
    params: entryParams,
    audit: { action: "job.delete", target: ({ params }) => `${params.queue}/${params.id}` },
  },
  ({ params, principal }) => runJobAction(principal, params.queue, params.id, "delete"),
);
