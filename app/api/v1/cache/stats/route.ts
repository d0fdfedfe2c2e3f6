/** GET /api/v1/cache/stats?range=1h|24h|7d&namespace= — the cache dashboard's series. */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { NAMESPACE_PATTERN } from "#app/_lib/ops/cache.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { cacheDashboard } from "#lib/metrics/cache-dashboard.ts";
import { CACHE_RANGES, type CacheRange } from "#lib/metrics/cache-dashboard-types.ts";

export const dynamic = "force-dynamic";

const ranges = Object.keys(CACHE_RANGES) as [CacheRange, ...CacheRange[]];
const query = z.object({
  range: z.enum(ranges, { error: `range must be one of ${ranges.join(", ")}` }).default("1h"),
  namespace: z
    .string()
    .regex(NAMESPACE_PATTERN, { error: "namespace: 1-64 letters, digits, '_', '.' or '-'" })
    .optional(),
});

// An unknown namespace is an UnknownNamespaceError (NOT_FOUND): the error table answers 404.
export const GET = route({ role: "viewer", query }, ({ query }) => cacheDashboard(consoleRedis(), query));
