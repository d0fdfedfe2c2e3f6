/**
 * `npm run bench:states`: the first page of each job state at STATES_BENCH_JOBS (default
 * 1,000,000) jobs in that state, in Redis time, and the memory a completed job's record costs.
 *
 * Starts its own redis-server (pinned to core 1 when taskset exists, this process to core 0).
 * For each state it seeds a queue with that many jobs in it (index + job hash, server-side in
 * batches), then times the page script: the Redis time of each call from SLOWLOG (threshold
 * 0 µs while timing), median and max over STATES_BENCH_RUNS runs. For waiting it also times a
 * page deep in the line (cursor at the middle) and the same cursor after 1,000 jobs were leased
 * (the window search of waiting-2.lua), and deletes of waiting jobs (delete-13.lua's bounded scan). Then it measures completed records: MEMORY USAGE of the `done` hash and of the
 * `completed` zset over the same ids, per job. Prints a table, then the JSON summary last.
 */

import { type ListState, listJobs } from "../lib/queue/browse.ts";
import { jobAction } from "../lib/queue/job-actions.ts";
import { jobsScripts } from "../lib/queue/jobs-scripts.ts";
import { createRedisFromUrl, type RedisClient } from "../lib/redis/connection.ts";
import { queueKeys } from "../lib/redis/keys.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { pin } from "./measure.ts";

const TOTAL = Number(process.env.STATES_BENCH_JOBS ?? 1_000_000);
const RUNS = Number(process.env.STATES_BENCH_RUNS ?? 9);
const PAGE = 100;
const BATCH = 10_000;
const SETTINGS = {
  dlqRetentionMs: 0,
  dlqMaxEntries: 0,
  maxAttempts: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
};
/** Only these states (comma-separated), e.g. STATES_BENCH_ONLY=waiting; default all four. */
const ONLY = process.env.STATES_BENCH_ONLY?.split(",");

/** Seeds `n` jobs of one state server-side: ids j<i>, a small hash each, the state's index. */
const SEED = `
local state, from, to, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local idx, prefix, extra = KEYS[1], KEYS[2], KEYS[3]
for i = from, to do
  local id = 'j' .. i
  if state == 'completed' then
    redis.call('ZADD', idx, now - (to - i), id)
    redis.call('HSET', extra, id, (now - (to - i)) .. ':' .. (i % 5000) .. ':1:' .. (now - 60000 - (to - i)))
  else
    local key = prefix .. id
    redis.call('HSET', key, 'payload', '{"n":' .. i .. '}', 'attempts', state == 'waiting' and 0 or 1, 'max', 3,
      'bb', 1000, 'bm', 60000, 'ct', now - (to - i))
    if state == 'waiting' then redis.call('LPUSH', idx, id)
    elseif state == 'active' then
      redis.call('HSET', key, 'lease', 'host-a:' .. (i % 50) .. ':abc', 'st', now)
      redis.call('ZADD', idx, now + 30000 + i, id)
    else
      redis.call('HSET', key, 'errors', '[{"attempt":1,"name":"Error","message":"upstream timed out after 30000 ms","at":' .. now .. ',"consumer":"c"}]')
      redis.call('ZADD', idx, now + 60000 + i, id)
    end
  end
end
return to - from + 1
`;

async function seed(client: RedisClient, queue: string, state: ListState) {
  const k = queueKeys(queue);
  const idx = { waiting: k.ready, active: k.active, scheduled: k.retry, completed: k.completed }[state];
  const extra = state === "completed" ? k.done : k.consumers;
  const now = Date.now();
  for (let from = 0; from < TOTAL; from += BATCH)
    await client.eval(SEED, 3, idx, k.job(""), extra, state, from, Math.min(TOTAL, from + BATCH) - 1, now);
}

/** The Redis time (µs) of the job scripts SLOWLOG logged since the last reset. */
async function scriptTimes(client: RedisClient): Promise<number[]> {
  const shas = new Set(jobsScripts().map((s) => s.sha));
  const log = (await client.call("SLOWLOG", "GET", "-1")) as [number, number, number, string[]][];
  return log
    .filter(([, , , args]) => args[0]?.toLowerCase() === "evalsha" && shas.has(args[1]))
    .map(([, , us]) => us);
}

interface Figure {
  what: string;
  medianUs: number;
  maxUs: number;
}

async function timed(client: RedisClient, what: string, call: () => Promise<unknown>): Promise<Figure> {
  await call(); // loads the script
  await client.slowlog("RESET");
  for (let i = 0; i < RUNS; i++) await call();
  const us = (await scriptTimes(client)).sort((a, b) => a - b);
  return { what, medianUs: us[Math.floor(us.length / 2)] ?? 0, maxUs: us.at(-1) ?? 0 };
}

async function main() {
  const server = await startRedisServer();
  const pinned = pin(server.pid ?? 0, 1) && pin(process.pid, 0);
  const client = createRedisFromUrl(server.url);
  const figures: Figure[] = [];
  let memory = { doneBytesPerJob: 0, completedZsetBytesPerJob: 0, jobs: TOTAL };
  try {
    await client.config("SET", "slowlog-log-slower-than", "0");
    await client.config("SET", "slowlog-max-len", "1000");
    for (const state of ["waiting", "active", "scheduled", "completed"] as const) {
      if (ONLY && !ONLY.includes(state)) continue;
      const queue = `bench-${state}`;
      const t0 = Date.now();
      await seed(client, queue, state);
      console.error(`seeded ${TOTAL} ${state} jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      figures.push(
        await timed(client, `${state}: first page of ${PAGE}`, () =>
          listJobs(client, queue, { state, limit: PAGE }),
        ),
      );
      if (state === "waiting") {
        // a cursor at the middle of the line: walk there by pages of 100 would take 5,000 calls, so
        // build the cursor the way listJobs does (offset + the id there)
        const half = Math.floor(TOTAL / 2);
        const [id] = await client.lrange(queueKeys(queue).ready, -half, -half);
        const cursor = Buffer.from(JSON.stringify([half, id])).toString("base64url");
        figures.push(
          await timed(client, `waiting: page at position ${half}`, () =>
            listJobs(client, queue, { state, limit: PAGE, cursor }),
          ),
        );
        await client.rpop(queueKeys(queue).ready, 1000); // the line moves: 1,000 jobs leased
        figures.push(
          await timed(client, `waiting: same cursor after the line moved (1,000 leased since)`, () =>
            listJobs(client, queue, { state, limit: PAGE, cursor }),
          ),
        );
      }
      if (state === "waiting") {
        // deletes: a job 40,000 from the newest end (found from there), and the newest of a line
        // longer than 2 × 50,000 seen from the oldest end first (the bound of delete-13.lua)
        let n = 0;
        const del = (id: string) => jobAction(client, SETTINGS, queue, id, "delete").catch((e) => e);
        figures.push(
          await timed(client, "waiting: delete a job 40,000 from the newest end", () =>
            del(`j${TOTAL - 40_000 - n++}`),
          ),
        );
        figures.push(
          await timed(client, `waiting: delete the job in the middle (refused: scan bound)`, () =>
            del(`j${TOTAL / 2}`),
          ),
        );
      }
      if (state === "completed") {
        const k = queueKeys(queue);
        const done = Number(await client.call("MEMORY", "USAGE", k.done, "SAMPLES", "0"));
        const zset = Number(await client.call("MEMORY", "USAGE", k.completed, "SAMPLES", "0"));
        memory = { doneBytesPerJob: done / TOTAL, completedZsetBytesPerJob: zset / TOTAL, jobs: TOTAL };
      }
      await client.flushall();
    }
  } finally {
    client.disconnect();
    await server.stop();
  }
  console.log(
    `jobs per state: ${TOTAL}; Redis ${pinned ? "pinned to core 1, bench to core 0" : "not pinned (no taskset)"}; ${RUNS} runs each`,
  );
  console.log("what".padEnd(64), "median µs".padStart(10), "max µs".padStart(10));
  for (const f of figures)
    console.log(f.what.padEnd(64), String(f.medianUs).padStart(10), String(f.maxUs).padStart(10));
  console.log(
    `completed record: ${memory.doneBytesPerJob.toFixed(1)} B/job in the done hash (+ ${memory.completedZsetBytesPerJob.toFixed(1)} B/job the completed zset already cost)`,
  );
  console.log(JSON.stringify({ jobs: TOTAL, runs: RUNS, pinned, figures, memory }));
}

await main();
