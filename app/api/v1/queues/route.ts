/** GET /api/v1/queues — every queue's sizes, recent rates and series, and the worker heartbeats. */
import { route } from "@/app/_lib/http.ts";
import type { QueuesResponse } from "@/components/api-types.ts";
import { consoleRedis } from "../dead-letters/_ops.ts";
import { readWorkerBeats, summarizeAll, WINDOW_MINUTES } from "./_summary.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async (): Promise<QueuesResponse> => {
  const client = consoleRedis();
  const [queues, workers] = await Promise.all([summarizeAll(client), readWorkerBeats(client)]);
  return { queues, workers, windowMinutes: WINDOW_MINUTES };
});
