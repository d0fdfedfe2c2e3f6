/**
 * GET /api/v1/dead-letters/groups — one row per error fingerprint, largest first. Groups are
 * kept per queue; `group` narrows to one fingerprint. Time and text filters do not apply here.
 * Samples as the caller may see them (lib/dlq/view.ts).
 */
import { route } from "@/app/_lib/http.ts";
import { listGroups } from "@/lib/dlq/index.ts";
import { viewGroups } from "@/lib/dlq/view.ts";
import { assertQueue, consoleRedis } from "../_ops.ts";
import { filterQuery } from "../_schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: filterQuery }, async ({ query, principal }) => {
  await assertQueue(query.queue);
  const groups = await listGroups(consoleRedis(), query.queue);
  const shown = query.group ? groups.filter((g) => g.fingerprint === query.group) : groups;
  return { groups: await viewGroups(consoleRedis(), shown, principal.role) };
});
