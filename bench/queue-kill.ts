/**
 * `npx tsx bench/queue-kill.ts`: do both libraries give the same guarantee when a consumer dies
 * between a handler's end and its acknowledgement? For each library: N jobs, then consumer
 * processes (bench/queue-kill-child.ts, one child process per consumer, concurrency 10) that are
 * SIGKILLed right after their k-th handler ends, KILLS times, then one that finishes the queue.
 * Counts jobs lost (never completed) and jobs whose handler ran to its end more than once.
 * Bounded: KILL_BENCH_JOBS (default 2,000), KILL_BENCH_KILLS (default 3), 180 s per library.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { Queue as BullQueue } from "bullmq";
import { parseConfig } from "../lib/config.ts";
import { createQueue } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { ranKey } from "./queue-kill-child.ts";

const JOBS = Number(process.env.KILL_BENCH_JOBS ?? 2000);
const KILLS = Number(process.env.KILL_BENCH_KILLS ?? 3);
const CONCURRENCY = 10;
const LIMIT_MS = 180_000;
const CHILD = new URL("./queue-kill-child.ts", import.meta.url).pathname;

function runChild(lib: string, url: string, queue: string, killAt: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", CHILD, lib, url, queue, String(killAt), String(CONCURRENCY)],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const exited = new Promise<string>((resolve) =>
    child.on("exit", (code, sig) => resolve(sig ?? String(code))),
  );
  return { child, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const server = await startRedisServer();
  const client = createRedisFromUrl(server.url);
  const config = parseConfig({ REDIS_URL: server.url });
  const u = new URL(server.url);
  const connection = { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null };
  const out: Record<string, unknown> = {};
  for (const lib of ["requeue", "bullmq"]) {
    await client.flushall();
    const queue = `kill-${lib}`;
    const items = Array.from({ length: JOBS }, (_, i) => i);
    let completed: () => Promise<{ completed: number; dead: number }>;
    let closeProducer: () => Promise<void>;
    if (lib === "requeue") {
      const q = createQueue(queue, { client, config });
      await q.addBatch(items.map((i) => ({ data: { i }, opts: { maxAttempts: 3 } })));
      completed = async () => queueSizes(client, queue, { prefix: config.REDIS_KEY_PREFIX });
      closeProducer = () => q.close();
    } else {
      const q = new BullQueue(queue, { connection });
      await q.addBulk(items.map((i) => ({ name: "j", data: { i }, opts: { attempts: 3 } })));
      completed = async () => {
        const c = await q.getJobCounts("completed", "failed");
        return { completed: c.completed ?? 0, dead: c.failed ?? 0 };
      };
      closeProducer = () => q.close();
    }
    process.stderr.write(`${lib}: ${JOBS} jobs added\n`);
    const kills: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // between half and all of an equal share, so every killed consumer reaches its kill
      const share = Math.floor(JOBS / (KILLS + 1));
      const killAt = Math.ceil(share / 2) + Math.floor(Math.random() * (share / 2));
      const { exited } = runChild(lib, server.url, queue, killAt);
      const how = await exited;
      if (how !== "SIGKILL") throw new Error(`${lib} consumer ended by ${how}, not SIGKILL`);
      kills.push(killAt);
      process.stderr.write(`${lib}: consumer ${k + 1} SIGKILLed after ${killAt} handler ends\n`);
    }
    const t0 = Date.now();
    const last = runChild(lib, server.url, queue, 0);
    let state = await completed();
    while (state.completed + state.dead < JOBS && Date.now() - t0 < LIMIT_MS) {
      await sleep(200);
      state = await completed();
    }
    last.child.kill("SIGTERM");
    await last.exited;
    await closeProducer();
    const ran = (await client.lrange(ranKey(queue), 0, -1)).map(Number);
    const times = new Map<number, number>();
    for (const i of ran) times.set(i, (times.get(i) ?? 0) + 1);
    const rerun = [...times.values()].filter((c) => c > 1).length;
    const neverRan = items.filter((i) => !times.has(i)).length;
    out[lib] = {
      jobs: JOBS,
      kills_after_handler_ends: kills,
      completed: state.completed,
      dead: state.dead,
      lost: JOBS - state.completed - state.dead,
      never_ran: neverRan,
      handler_ran_more_than_once: rerun,
      extra_handler_runs: ran.length - times.size,
      finish_seconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
    };
    console.log(`${lib}: ${JSON.stringify(out[lib])}`);
  }
  client.disconnect();
  await server.stop();
  console.log(
    JSON.stringify({
      bench: "queue-kill",
      meaning:
        "consumer SIGKILLed right after a handler's end, before its acknowledgement; lost = jobs neither completed nor dead at the end",
      ...out,
      load_average: loadavg().map((x) => Number(x.toFixed(2))),
    }),
  );
  process.exit(0);
}

void main();
