/**
 * The console's job scripts (lib/redis/lua/jobs/<name>-<numkeys>.lua): the pages of each state,
 * one job in any state, and the admin's actions on one job. Kept apart from the consumer's hot
 * path (lib/queue/scripts.ts); every call touches one queue's keys (one hash tag, one slot).
 */
import type { RedisClient } from "../redis/connection.ts";
import { keyPrefixes, minuteOf, type QueueKeys } from "../redis/keys.ts";
import { scriptSet } from "../redis/scripts.ts";
import { JobError } from "./job-errors.ts";

export type JobsScript =
  | "waiting"
  | "active"
  | "scheduled"
  | "completed"
  | "show"
  | "promote"
  | "delete"
  | "reclaim"
  | "requeue";

const scripts = scriptSet<JobsScript>("jobs", { commandPrefix: "rqjobs_" });

/** The job scripts (benchmarks map SLOWLOG's EVALSHA digests back to names with it). */
export const jobsScripts = scripts.all;

/** Runs a job script; a failure names the script and the queue. */
export async function runJobsScript<T>(
  client: RedisClient,
  name: JobsScript,
  queue: string,
  keys: string[],
  args: (string | number)[],
): Promise<T> {
  try {
    return await scripts.run<T>(client, name, keys, args);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new JobError("SCRIPT_FAILED", `${name} on queue ${JSON.stringify(queue)} failed: ${why}`, {
      cause: err,
    });
  }
}

/** KEYS of the actions (includes/keys13.lua): keys10, completed, done, consumers. */
export const actionKeys = (k: QueueKeys, now = Date.now()) => [
  k.active,
  k.ready,
  k.retry,
  k.dead,
  k.groups,
  k.totals,
  k.stats(minuteOf(now)),
  ...keyPrefixes(k),
  k.completed,
  k.done,
  k.consumers,
];

/** KEYS of show-8.lua. */
export const showKeys = (k: QueueKeys) => [
  k.ready,
  k.active,
  k.retry,
  k.completed,
  k.dead,
  k.done,
  k.consumers,
  k.job(""),
];
