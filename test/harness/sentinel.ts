/**
 * A real Redis Sentinel for tests: one sentinel process monitoring `mymaster` with quorum 1, so
 * it alone declares the master down and fails over (quickly: down after `downAfterMs`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./redis-server.ts";

export interface Sentinel {
  port: number;
  /** a connection to the sentinel (SENTINEL … commands); closed by stop() */
  admin: Redis;
  stop(): Promise<void>;
}

export async function startSentinel(masterPort: number, downAfterMs = 500): Promise<Sentinel> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "requeue-sentinel-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds mymaster ${downAfterMs}`,
      "sentinel failover-timeout mymaster 5000",
      "",
    ].join("\n"),
  );
  const proc: ChildProcess = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
  proc.on("error", () => {});
  const admin = new Redis({ port, host: "127.0.0.1", retryStrategy: (n) => Math.min(n * 50, 500) });
  admin.on("error", () => {});
  return {
    port,
    admin,
    async stop() {
      admin.disconnect();
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGKILL");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
