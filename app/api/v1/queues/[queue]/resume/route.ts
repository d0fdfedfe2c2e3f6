/** POST /api/v1/queues/{queue}/resume — consumers lease from the queue again (admin, audited, idempotent). */
import { pauseRoute } from "#app/_lib/ops/queues.ts";

export const dynamic = "force-dynamic";

export const POST = pauseRoute({ role: "admin", paused: false });
