/**
 * Runs test/harness/invalidate-child.ts in another Node process against the same Redis and key
 * prefix as `config`: a second process of the application, for cross-process cache tests.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Config } from "../../lib/config.ts";

const run = promisify(execFile);

export async function inChildProcess(config: Config, action: string, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: config.REDIS_URL,
    REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
    // The suite's deadline, not the 50 ms default: a fresh process's first calls open its
    // connections (on a cluster, to every master), which a loaded machine can make slow.
    CACHE_TIMEOUT_MS: String(config.CACHE_TIMEOUT_MS),
  };
  if (config.REDIS_CLUSTER_NODES)
    env.REDIS_CLUSTER_NODES = config.REDIS_CLUSTER_NODES.map((n) => `${n.host}:${n.port}`).join(",");
  const { stdout } = await run(
    "node_modules/.bin/tsx",
    ["test/harness/invalidate-child.ts", action, ...args],
    {
      env,
    },
  );
  return stdout;
}
