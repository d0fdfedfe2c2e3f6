/** POST /api/v1/queues/{queue}/jobs/{id}/reclaim — an orphaned active job goes back to waiting now (409 with `state` when it is elsewhere). */
import { jobActionRoute } from "#app/_lib/ops/jobs.ts";

export const dynamic = "force-dynamic";

export const POST = jobActionRoute({ role: "admin", action: "reclaim" });
