/** POST /api/v1/queues/{queue}/pause — consumers lease nothing new from the queue (admin, audited, idempotent). */
import { pauseRoute } from "#app/_lib/ops/queues.ts";

export const dynamic = "force-dynamic";

export const POST = pauseRoute({ role: "admin", paused: true });
