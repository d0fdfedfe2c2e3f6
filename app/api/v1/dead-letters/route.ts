/**
 * GET /api/v1/dead-letters — one page of dead letters, newest first, with filters and a cursor.
 * Rows as the caller may see them (lib/dlq/view.ts), read by the same function the dead letters
 * page uses for its first paint (app/_lib/ops/dead-letters.ts).
 */
import { route } from "#app/_lib/http.ts";
import { listPage } from "#app/_lib/ops/dead-letters.ts";
import { listQuery } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: listQuery }, ({ query, principal }) =>
  listPage(principal.role, query),
);
