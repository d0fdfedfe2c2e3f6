/** POST /api/v1/queues/{queue}/jobs/{id}/delete — a waiting or scheduled job is removed (409 with `state` when it is elsewhere). */
import { jobActionRoute } from "#app/_lib/ops/jobs.ts";

export const dynamic = "force-dynamic";

export const POST = jobActionRoute({ role: "admin", action: "delete" });
