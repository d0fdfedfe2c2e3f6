/** POST /api/v1/queues/{queue}/jobs/{id}/requeue — a completed job runs again with the same payload (409 with `state` when it is elsewhere). */
import { jobActionRoute } from "#app/_lib/ops/jobs.ts";

export const dynamic = "force-dynamic";

export const POST = jobActionRoute({ role: "admin", action: "requeue" });
