"use server";
/**
 * The job page's mutations (admin): run a scheduled job now, delete a waiting or scheduled job,
 * move an orphaned active job back to waiting, requeue a completed job. Each is checked and
 * audited on the server (the same audit names as the API's routes) and runs one Lua script
 * (lib/queue/job-actions.ts). Written out one by one so the access matrix sees each role.
 */
import type { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { runJobAction } from "#app/_lib/ops/jobs.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";
import type { Principal } from "#app/_lib/principal.ts";
import type { JobAction } from "#lib/queue/job-actions.ts";

type Entry = z.infer<typeof entryParams>;

const run =
  (name: JobAction) =>
  ({ queue, id }: Entry, principal: Principal) =>
    runJobAction(principal, queue, id, name);
const audit = (name: JobAction) => ({
  action: `job.${name}`,
  target: ({ queue, id }: Entry) => `${queue}/${id}`,
});

export const promoteJobAction = action("admin", entryParams, run("promote"), { audit: audit("promote") });
export const deleteJobAction = action("admin", entryParams, run("delete"), { audit: audit("delete") });
export const reclaimJobAction = action("admin", entryParams, run("reclaim"), { audit: audit("reclaim") });
export const requeueJobAction = action("admin", entryParams, run("requeue"), { audit: audit("requeue") });
