/** POST /api/v1/dead-letters/requeue — requeue ids, a group, a filter or all (see docs/api.md). */
import { route } from "@/app/_lib/http.ts";
import { mutationSchema } from "@/components/dead-letters/mutation.ts";
import { mutate } from "../_ops.ts";

export const dynamic = "force-dynamic";

export const POST = route({ role: "admin", body: mutationSchema }, ({ body, principal }) =>
  mutate(principal, "requeue", body),
);
