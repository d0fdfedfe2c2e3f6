"use server";
/**
 * The dead letters page's mutations as server actions, each through the action frame: the admin
 * role is checked on the server, input validated with zod, failures returned as `{ error }`.
 * The work itself is app/_lib/ops/dead-letters.ts, shared with the JSON API.
 */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { editAndRequeue, mutate } from "#app/_lib/ops/dead-letters.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { editRequeueSchema, mutationSchema } from "#app/_lib/ops/schemas.ts";
import { audit } from "#lib/auth/audit.ts";
import { bulkProgress, cancelBulk } from "#lib/dlq/index.ts";

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
    const client = consoleRedis();
    const cancelled = await cancelBulk(client, id);
    await audit(principal, "dlq.bulk.cancel", { target: `bulk ${id}`, outcome: cancelled ? "ok" : "error" });
    return { cancelled, progress: await bulkProgress(client, id) };
  },
);
