/**
 * `npm start`'s children: each runs with its output prefixed by its name (`[worker ] …`), and
 * they stop together — apps first so they drain, Redis last so they can finish their writes.
 */
import { type ChildProcess, spawn } from "node:child_process";

const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;
const onStop: (() => void)[] = [];

/** A start-up problem the user can act on: printed as `requeue: <message>`, exit code 1. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartError";
  }
}

export function log(name: string, line: string): void {
  process.stdout.write(`[${name.padEnd(7)}] ${line}\n`);
}

function prefixed(name: string, proc: ChildProcess) {
  for (const stream of [proc.stdout, proc.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) log(name, line);
    });
  }
}

/** Starts a child with prefixed output; `detached` puts it in its own process group (Redis). */
export function spawnChild(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; detached?: boolean; stopAllOnExit?: boolean } = {},
): ChildProcess {
  const proc = spawn(cmd, args, {
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.detached,
  });
  prefixed(name, proc);
  if (opts.stopAllOnExit)
    proc.on("exit", (code, signal) => {
      if (stopping) return;
      log(name, `exited (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(code || 1);
    });
  children.push({ name, proc });
  return proc;
}

/** Runs when everything stops, before the process exits (e.g. forget the recorded Redis). */
export function beforeExit(fn: () => void): void {
  onStop.push(fn);
}

export async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const apps = children.filter((c) => c.name !== "redis");
  const redis = children.filter((c) => c.name === "redis");
  await Promise.all(apps.map((c) => terminate(c.proc, 10_000)));
  await Promise.all(redis.map((c) => terminate(c.proc, 10_000)));
  for (const fn of onStop) fn();
  process.exit(code);
}

function terminate(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    proc.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    proc.kill("SIGTERM");
  });
}

/** Ctrl-C and SIGTERM stop everything; however this process ends, no child is left behind. */
export function stopChildrenOnExit(): void {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  process.on("exit", () => {
    for (const c of children)
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGTERM");
  });
}
