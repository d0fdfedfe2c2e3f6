/**
 * GET /api/metrics — Prometheus text format: queues, dead letters, cache, circuit breakers,
 * Redis and alert states. Needs the viewer role (a session or `Authorization: Bearer <token>`,
 * which is what a Prometheus scrape config sends); 503 while Redis is unreachable.
 */

import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { renderPrometheus } from "#lib/metrics/prometheus.ts";
import { collectSnapshot } from "#lib/metrics/snapshot.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async () => {
  const { contentType, body } = await renderPrometheus(await collectSnapshot(consoleRedis()));
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
