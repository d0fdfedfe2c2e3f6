/**
 * What an admin may do to one job, each one Lua script (lib/redis/lua/jobs/), each idempotent:
 *   promote  a scheduled retry or delayed job runs now (front of ready)
 *   delete   a waiting or scheduled job is removed with its data
 *   reclaim  an orphaned active job goes back to ready now, as the periodic reclaim would
 *   requeue  a completed job runs again with the same id and payload (kept only with
 *            COMPLETED_KEEP_PAYLOAD)
 * A job that is already where the action puts it answers `changed: false`; a job in another
 * state CONFLICT (409) with its current state; an id no state has NOT_FOUND (404).
 */
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import type { QueueSettings } from "./job.ts";
import { JobError, type JobState, jobInState, jobNotFound } from "./job-errors.ts";
import { actionKeys, runJobsScript } from "./jobs-scripts.ts";
import type { HistoryEntry } from "./types.ts";

/** How far from each end of the line delete-13.lua looks for a waiting job (SCAN there). */
export const DELETE_SCAN_MAX = 50_000;

export type JobAction = "promote" | "delete" | "reclaim" | "requeue";
export const JOB_ACTIONS = ["promote", "delete", "reclaim", "requeue"] as const;

export interface JobActionResult {
  queue: string;
  id: string;
  action: JobAction;
  /** false: the job was already where the action puts it, nothing changed */
  changed: boolean;
  /** where the job is now ("deleted" after a delete) */
  state: JobState | "deleted";
}

/** The states each action starts from, for messages. */
const FROM: Record<JobAction, string> = {
  promote: "scheduled",
  delete: "waiting or scheduled",
  reclaim: "active",
  requeue: "completed",
};

type Settings = Pick<
  QueueSettings,
  "dlqRetentionMs" | "dlqMaxEntries" | "maxAttempts" | "backoffBaseMs" | "backoffMaxMs"
>;

function argsOf(action: JobAction, id: string, s: Settings, by?: string): (string | number)[] {
  if (action === "reclaim") return [id, s.dlqRetentionMs, s.dlqMaxEntries];
  if (action === "requeue") {
    const entry: HistoryEntry = { at: Date.now(), action: "requeued", ...(by ? { by } : {}) };
    return [id, s.maxAttempts, s.backoffBaseMs, s.backoffMaxMs, JSON.stringify(entry)];
  }
  return [id];
}

/** Runs one action on one job. `by`: who asked (kept in a requeued job's history). */
export async function jobAction(
  client: RedisClient,
  settings: Settings,
  queue: string,
  id: string,
  action: JobAction,
  by?: string,
): Promise<JobActionResult> {
  const keys = actionKeys(queueKeys(queue));
  const [code, state, lineLength] = await runJobsScript<[number, string, number?]>(
    client,
    action,
    queue,
    keys,
    argsOf(action, id, settings, by),
  );
  const named = `job ${JSON.stringify(id)} of queue ${JSON.stringify(queue)}`;
  if (code === -1) throw jobNotFound(queue, id);
  if (code === -2) throw jobInState(queue, id, state as JobState, FROM[action]);
  if (code === -4)
    throw new JobError(
      "CONFLICT",
      `${named} completed without its payload kept (COMPLETED_KEEP_PAYLOAD=false): it cannot be requeued`,
      { details: { state: "completed" } },
    );
  if (code === -6)
    throw new JobError(
      "CONFLICT",
      `${named} is waiting more than ${DELETE_SCAN_MAX.toLocaleString("en-US")} places from both ends of a line of ${lineLength}: deleting it would scan too far; delete it once it is nearer the front`,
      { details: { state: "waiting" } },
    );
  if (code === -5)
    throw new JobError(
      "CONFLICT",
      `${named} is active and its consumer still sends heartbeats: it is not orphaned`,
      {
        details: { state: "active" },
      },
    );
  return {
    queue,
    id,
    action,
    changed: code === 1,
    state: action === "delete" && code === 1 ? "deleted" : (state as JobState),
  };
}
