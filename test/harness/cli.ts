/**
 * Runs the real CLI (`bin/requeue.mjs`) as a child process, the way an operator's shell does,
 * against the suite's redis-server with a key prefix of its own.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const BIN = join(import.meta.dirname, "..", "..", "bin", "requeue.mjs");

export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
    for (const k of ["REDIS_SENTINELS", "REDIS_CLUSTER_NODES"]) if (!opts.env?.[k]) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: opts.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`requeue ${args.join(" ")} did not finish in time\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Parses the --json output; fails the test with the output when it is not JSON. */
export function json<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}
