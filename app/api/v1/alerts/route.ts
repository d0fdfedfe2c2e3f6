/** GET /api/v1/alerts?state=firing|all — the eight alerts with threshold, value and state. */
import { z } from "zod";
import { route } from "@/app/_lib/http.ts";
import { listAlerts } from "#lib/alerts/index";
import { getRedis } from "#lib/redis/connection";

export const dynamic = "force-dynamic";

const query = z.object({
  state: z.enum(["firing", "all"], { error: 'state must be "firing" or "all"' }).default("all"),
});

export const GET = route({ role: "viewer", query }, async ({ query }) => {
  const all = await listAlerts(getRedis("console", { failFast: true }));
  const alerts = query.state === "firing" ? all.filter((a) => a.state === "firing") : all;
  const evaluated = all.map((a) => a.evaluatedAt ?? 0);
  return { alerts, evaluatedAt: Math.max(0, ...evaluated) || null };
});
