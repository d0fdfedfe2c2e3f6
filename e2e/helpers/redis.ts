/**
 * Redis faults for e2e tests: pause the isolated redis-server that e2e/serve.ts started (SIGSTOP,
 * so every command to it hangs and times out, as on a dead network) and resume it (SIGCONT).
 * The process stays the one serve.ts owns, so it is still stopped and cleaned up by serve.ts,
 * and the data is untouched. `withRedisPaused` always resumes, even when the test fails.
 */
import { Redis } from "ioredis";
import { e2eState } from "../env.ts";

async function redisPid(): Promise<number> {
  const client = new Redis(e2eState().redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  try {
    await client.connect();
    const info = await client.info("server");
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    if (!pid) throw new Error("redis INFO server has no process_id");
    return pid;
  } finally {
    client.disconnect();
  }
}

/** Pauses every redis-server of the app (one, or each node of a cluster); returns `resume`. */
export async function pauseRedis(): Promise<() => void> {
  const known = e2eState().redisPids?.filter(Boolean);
  const pids = known?.length ? known : [await redisPid()];
  for (const pid of pids) process.kill(pid, "SIGSTOP");
  let resumed = false;
  return () => {
    if (resumed) return;
    resumed = true;
    for (const pid of pids) process.kill(pid, "SIGCONT");
  };
}

export async function withRedisPaused<T>(fn: () => Promise<T>): Promise<T> {
  const resume = await pauseRedis();
  try {
    return await fn();
  } finally {
    resume();
  }
}
