/** GET /api/health — liveness and Redis reachability. No auth, no configuration, no secrets. */

import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { pingRedis } from "#lib/redis/connection.ts";

export const dynamic = "force-dynamic";

const startedAt = Date.now();

export async function GET() {
  const redis = await pingRedis(consoleRedis());
  const body = {
    status: redis === "up" ? "ok" : "degraded",
    redis,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    time: new Date().toISOString(),
  };
  return Response.json(body, {
    status: redis === "up" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
