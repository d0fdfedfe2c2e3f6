/** GET /api/v1/jobs/{id} — a job id looked for in every queue: where it is, and the first match in full; 404 when none has it. */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { findJobAnywhere } from "#app/_lib/ops/jobs.ts";
import { jobIdSchema } from "#lib/dlq/schemas.ts";

export const dynamic = "force-dynamic";

const params = z.object({ id: jobIdSchema });

export const GET = route({ role: "viewer", params }, ({ params, principal }) =>
  findJobAnywhere(principal, params.id),
);
