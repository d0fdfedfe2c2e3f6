/**
 * PUT /api/v1/alerts/thresholds/:id {value} — set one threshold (admin), then re-evaluate so the
 * change shows at once. DELETE — back to the environment's default. Both are audited.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { evaluateAlerts, listAlerts, resetThreshold, setThreshold } from "#lib/alerts/index.ts";
import { audit } from "#lib/auth/audit.ts";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });
const body = z.object({ value: z.unknown() }).refine((b) => b.value !== undefined, {
  error: 'Send {"value": <number>}, e.g. {"value": 50} or {"value": 0.9} for 90 %',
});

async function afterChange(id: string) {
  const client = consoleRedis();
  await evaluateAlerts(client);
  return { alert: (await listAlerts(client)).find((a) => a.id === id) };
}

export const PUT = route({ role: "admin", params, body }, async ({ params, body, principal }) => {
  const res = await setThreshold(consoleRedis(), params.id, body.value);
  await audit(principal, "alerts.threshold.set", {
    target: res.id,
    outcome: "ok",
    detail: `${res.previous} -> ${res.value}`,
  });
  return afterChange(res.id);
});

export const DELETE = route({ role: "admin", params }, async ({ params, principal }) => {
  await resetThreshold(consoleRedis(), params.id);
  await audit(principal, "alerts.threshold.reset", { target: params.id, outcome: "ok" });
  return afterChange(params.id);
});
