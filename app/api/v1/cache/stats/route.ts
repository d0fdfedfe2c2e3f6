/** GET /api/v1/cache/stats?range=1h|24h|7d&namespace= — the cache dashboard's series. */
import { z } from "zod";
import { cacheDashboard, UnknownNamespaceError } from "#lib/metrics/cache-dashboard";
import { CACHE_RANGES, type CacheRange } from "#lib/metrics/cache-dashboard-types";
import { getRedis } from "#lib/redis/connection";
import { notFound, route } from "@/app/_lib/http.ts";
import { NAMESPACE_PATTERN } from "../_ops.ts";

export const dynamic = "force-dynamic";

const ranges = Object.keys(CACHE_RANGES) as [CacheRange, ...CacheRange[]];
const query = z.object({
  range: z.enum(ranges, { error: `range must be one of ${ranges.join(", ")}` }).default("1h"),
  namespace: z
    .string()
    .regex(NAMESPACE_PATTERN, { error: "namespace: 1-64 letters, digits, '_', '.' or '-'" })
    .optional(),
});

export const GET = route({ role: "viewer", query }, async ({ query }) => {
  try {
    return await cacheDashboard(getRedis("console", { failFast: true }), query);
  } catch (err) {
    if (err instanceof UnknownNamespaceError) throw notFound(err.message);
    throw err;
  }
});
