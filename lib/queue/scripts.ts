/**
 * The queue's Lua scripts: each state transition lives in lib/redis/lua/queue/<name>-<numkeys>.lua
 * (loaded by lib/redis/scripts.ts, which reads the number of keys from the file name and expands
 * `--@include`), with the constants below filled in for their `__NAME__` placeholders.
 */

import { type ScriptSet, scriptSet } from "../redis/scripts.ts";
import { DURATION_CONSTANTS } from "./durations.ts";

export type ScriptName =
  | "add"
  | "lease"
  | "complete"
  | "fail"
  | "extend"
  | "release"
  | "reclaim"
  | "promote"
  | "trimdead"
  | "report"
  | "logs"
  | "trimcompleted";

/** Errors kept per job (the newest). */
export const MAX_ERRORS_PER_JOB = 25;

const scripts = scriptSet<ScriptName>("queue", {
  commandPrefix: "rq_",
  constants: { __MAX_ERRORS__: String(MAX_ERRORS_PER_JOB), ...DURATION_CONSTANTS },
});

/** The set's scripts, expanded, and its constants: scripts/export-lua.ts indexes them for the Python client. */
export const queueScriptSet: Pick<ScriptSet<ScriptName>, "all" | "constants"> = scripts;
/** Runs a script on a client: one round trip. */
export const runScript = scripts.run;
/** A pipeline of `client` that knows the scripts. */
export const scriptPipeline = scripts.pipeline;
/** Queues a script on a pipeline from scriptPipeline(). */
export const pipeScript = scripts.pipe;
