/** POST /api/v1/queues/{queue}/jobs/{id}/promote — a scheduled retry or delayed job runs now (409 with `state` when it is elsewhere). */
import { jobActionRoute } from "#app/_lib/ops/jobs.ts";

export const dynamic = "force-dynamic";

export const POST = jobActionRoute({ role: "admin", action: "promote" });
