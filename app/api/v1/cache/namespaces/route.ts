/** GET /api/v1/cache/namespaces — per namespace: hit rate, traffic, p99 (last hour), keys, memory. */

import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { namespaceRows } from "#lib/metrics/cache-dashboard.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async () => namespaceRows(consoleRedis()));
