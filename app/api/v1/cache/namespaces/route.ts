/** GET /api/v1/cache/namespaces — per namespace: hit rate, traffic, p99 (last hour), keys, memory. */

import { namespaceRows } from "#lib/metrics/cache-dashboard";
import { getRedis } from "#lib/redis/connection";
import { route } from "@/app/_lib/http.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async () =>
  namespaceRows(getRedis("console", { failFast: true })),
);
