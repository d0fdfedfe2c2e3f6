/**
 * GET /api/v1/dead-letters/groups — one row per error fingerprint, largest first. Groups are
 * kept per queue; `group` narrows to one fingerprint. Time and text filters do not apply here.
 * Reads at most GROUPS_PAGE_MAX (1,000) groups, or API_SCAN_LIMIT if lower: `partial: true` and
 * `nextCursor` when more exist. Samples as the caller may see them (lib/dlq/view.ts).
 */
import { route } from "#app/_lib/http.ts";
import { assertQueue } from "#app/_lib/ops/dead-letters.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { resumableQuery } from "#app/_lib/ops/schemas.ts";
import { getConfig } from "#lib/config.ts";
import { GROUPS_PAGE_MAX, listGroupsPage } from "#lib/dlq/index.ts";
import { viewGroups } from "#lib/dlq/view.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: resumableQuery }, async ({ query, principal }) => {
  await assertQueue(query.queue);
  const page = await listGroupsPage(
    consoleRedis(),
    { queue: query.queue, fingerprint: query.group },
    { scanMax: Math.min(GROUPS_PAGE_MAX, getConfig().API_SCAN_LIMIT), cursor: query.cursor },
  );
  return { ...page, groups: await viewGroups(consoleRedis(), page.groups, principal.role) };
});
