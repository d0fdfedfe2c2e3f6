/**
 * GET /api/v1/alerts?state=firing|all — the nine alerts with threshold, value and state.
 * Evaluates first when no process has in the last interval (the worker may be down); a failed
 * evaluation still answers with the last known state.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { evaluateIfDue, listAlerts } from "#lib/alerts/index.ts";
import { getConfig } from "#lib/config.ts";

export const dynamic = "force-dynamic";

const query = z.object({
  state: z.enum(["firing", "all"], { error: 'state must be "firing" or "all"' }).default("all"),
});

export const GET = route({ role: "viewer", query }, async ({ query }) => {
  const client = consoleRedis();
  await evaluateIfDue(client).catch((err) => {
    console.error("[alerts] evaluation failed:", err instanceof Error ? err.message : String(err));
  });
  const all = await listAlerts(client);
  const alerts = query.state === "firing" ? all.filter((a) => a.state === "firing") : all;
  const evaluated = all.map((a) => a.evaluatedAt ?? 0);
  const config = getConfig();
  return {
    alerts,
    evaluatedAt: Math.max(0, ...evaluated) || null,
    windowMinutes: config.ALERT_WINDOW_MINUTES,
    intervalMs: config.ALERT_EVALUATE_INTERVAL_MS,
  };
});
