/**
 * The queue's Lua scripts: each state transition lives in scripts/<name>-<numkeys>.lua (loaded by
 * lib/redis/scripts.ts, which reads the number of keys from the file name and expands
 * `--@include`), with the constants below filled in for their `__NAME__` placeholders.
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { STATS_TTL_SECONDS } from "../redis/keys.ts";
import { scriptSet } from "../redis/scripts.ts";

export type ScriptName =
  | "add"
  | "lease"
  | "complete"
  | "fail"
  | "extend"
  | "release"
  | "reclaim"
  | "promote"
  | "trimdead";

/** Errors kept per job (the newest). */
export const MAX_ERRORS_PER_JOB = 25;

const CONSTANTS: Record<string, string> = {
  __STATS_TTL__: String(STATS_TTL_SECONDS),
  __MAX_ERRORS__: String(MAX_ERRORS_PER_JOB),
};

// A path, not `new URL("./scripts/", import.meta.url)`: Turbopack (next build) cannot bundle that.
const scripts = scriptSet<ScriptName>(join(dirname(fileURLToPath(import.meta.url)), "scripts"), {
  commandPrefix: "rq_",
  constants: CONSTANTS,
});

/** Runs a script on a client: one round trip. */
export const runScript = scripts.run;
/** A pipeline of `client` that knows the scripts. */
export const scriptPipeline = scripts.pipeline;
/** Queues a script on a pipeline from scriptPipeline(). */
export const pipeScript = scripts.pipe;
