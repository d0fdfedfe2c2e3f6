/** POST /api/v1/dead-letters/{queue}/{id}/requeue — Edit & requeue: `{ "payload": <any JSON> }`. */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { editAndRequeue } from "#app/_lib/ops/dead-letters.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";

export const dynamic = "force-dynamic";

const body = z.object({ payload: z.json({ error: "payload: any JSON value" }) }).strict();

export const POST = route({ role: "admin", params: entryParams, body }, ({ params, body, principal }) =>
  editAndRequeue(principal, { ...params, payload: JSON.stringify(body.payload) }),
);
