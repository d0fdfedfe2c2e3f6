/** POST /api/v1/queues/{queue}/resume — consumers lease from the queue again (admin, audited, idempotent). */
import { route } from "#app/_lib/http.ts";
import { setPaused } from "#app/_lib/ops/queues.ts";
import { queueParam } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const POST = route(
  {
    role: "admin",
    params: queueParam,
    audit: { action: "queue.resume", target: ({ params }) => params.queue },
  },
  ({ params, note }) => setPaused(params.queue, false, note),
);
