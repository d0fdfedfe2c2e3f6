/** GET /api/v1/queues/{queue}/jobs/{id} — one job in any state, as the caller may see it; 404 when no state has it. */
import { route } from "#app/_lib/http.ts";
import { showJob } from "#app/_lib/ops/jobs.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: entryParams }, ({ params, principal }) =>
  showJob(principal, params.queue, params.id),
);
