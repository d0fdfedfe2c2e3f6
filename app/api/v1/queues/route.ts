/**
 * GET /api/v1/queues — every queue's sizes, recent rates, latency and series, the worker
 * heartbeats, and the queue latency alert's threshold.
 * `?series=false` leaves the per-minute series out (the top bar polls that on every page).
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { readWorkerBeats, summarizeAll, WINDOW_MINUTES } from "#app/_lib/ops/queues.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import type { QueuesResponse } from "#components/api-types.ts";
import { getThresholds } from "#lib/alerts/settings.ts";

export const dynamic = "force-dynamic";

const query = z
  .object({
    series: z.enum(["true", "false"], { error: 'series must be "true" or "false"' }).default("true"),
  })
  .strict();

export const GET = route({ role: "viewer", query }, async ({ query }): Promise<QueuesResponse> => {
  const client = consoleRedis();
  const [queues, workers, thresholds] = await Promise.all([
    summarizeAll(client, query.series === "true"),
    readWorkerBeats(client),
    getThresholds(client),
  ]);
  return {
    queues,
    workers,
    windowMinutes: WINDOW_MINUTES,
    latencyThresholdMs: thresholds.values.queue_latency * 1000,
  };
});
