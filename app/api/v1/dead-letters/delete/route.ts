/** POST /api/v1/dead-letters/delete — delete ids, a group, a filter or all (see docs/api.md). */
import { route } from "#app/_lib/http.ts";
import { mutate } from "#app/_lib/ops/dead-letters.ts";
import { mutationSchema } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

export const POST = route({ role: "admin", body: mutationSchema }, ({ body, principal }) =>
  mutate(principal, "delete", body),
);
