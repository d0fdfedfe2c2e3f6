/**
 * The demo's Python service: worker/demo/graph_processor.py (on clients/python) consumes the
 * graph queue, so a newcomer sees a Python service's jobs and dead letters (Python frames) in
 * the console next to TypeScript's. Run by Debian's /usr/bin/python3 with python3-redis
 * (scripts/setup.sh installs it); without them the demo says so in one line and the graph queue
 * stays with the TypeScript processor.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import type { DemoSettings } from "./settings.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "graph_processor.py");

export interface PythonProcessor {
  stop(): Promise<void>;
}

/** Starts the Python graph processor, or returns null (having said why) when Python cannot run it. */
export function startPythonGraph(s: DemoSettings, log: (line: string) => void): PythonProcessor | null {
  if (spawnSync(PYTHON, ["-c", "import redis"], { stdio: "ignore" }).status !== 0) {
    log(
      `demo: the graph queue runs in TypeScript: ${PYTHON} with python3-redis not found (apt-get install python3-redis for the Python processor)`,
    );
    return null;
  }
  const child: ChildProcess = spawn(PYTHON, [SCRIPT], {
    env: {
      ...process.env,
      DEMO_TRANSIENT_RATE: String(s.DEMO_TRANSIENT_RATE),
      DEMO_CONCURRENCY: String(s.DEMO_CONCURRENCY),
      JOB_TIMEOUT_SECONDS: process.env.JOB_TIMEOUT_SECONDS || "30", // the TypeScript consumers' bound
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.on("error", (err) => log(`demo: the Python graph processor failed to start: ${err.message}`));
  const relay = (d: Buffer) => {
    for (const line of String(d).split("\n")) if (line.trim()) log(`[python] ${line}`);
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM"); // graceful: hands back jobs not started, finishes the running ones
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
