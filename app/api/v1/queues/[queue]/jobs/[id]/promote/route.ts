/** POST /api/v1/queues/{queue}/jobs/{id}/promote — a scheduled retry or delayed job runs now (409 with `state` when it is elsewhere). */
import { route } from "#app/_lib/http.ts";
import { runJobAction } from "#app/_lib/ops/jobs.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const POST = route(
  {
    role: "admin",
    params: entryParams,
    audit: { action: "job.promote", target: ({ params }) => `${params.queue}/${params.id}` },
  },
  ({ params, principal }) => runJobAction(principal, params.queue, params.id, "promote"),
);
