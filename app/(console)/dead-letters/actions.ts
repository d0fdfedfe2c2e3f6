"use server";
/**
 * The dead letters page's mutations as server actions, each through the action frame: the admin
 * role is checked on the server, input validated with zod, failures returned as `{ error }`.
 * The work itself is app/api/v1/dead-letters/_ops.ts, shared with the JSON API.
 */
import { z } from "zod";
import { action } from "@/app/_lib/action.ts";
import { editAndRequeue, mutate } from "@/app/api/v1/dead-letters/_ops.ts";
import { editRequeueSchema, mutationSchema } from "@/components/dead-letters/mutation.ts";
import { audit } from "@/lib/auth/audit.ts";
import { bulkProgress, cancelBulk } from "@/lib/dlq/index.ts";
import { getRedis } from "@/lib/redis/connection.ts";

export const requeueAction = action("admin", mutationSchema, (input, principal) =>
  mutate(principal, "requeue", input),
);

export const deleteAction = action("admin", mutationSchema, (input, principal) =>
  mutate(principal, "delete", input),
);

export const editRequeueAction = action("admin", editRequeueSchema, (input, principal) =>
  editAndRequeue(principal, input),
);

export const cancelBulkAction = action(
  "admin",
  z.object({ id: z.string().min(1).max(100) }),
  async ({ id }, principal) => {
    const client = getRedis("console", { failFast: true });
    const cancelled = await cancelBulk(client, id);
    await audit(principal, "dlq.bulk.cancel", { target: `bulk ${id}`, outcome: cancelled ? "ok" : "error" });
    return { cancelled, progress: await bulkProgress(client, id) };
  },
);
