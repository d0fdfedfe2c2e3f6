/**
 * `node --cpu-prof --import tsx bench/failing-cpu.ts`: Requeue's failing path alone, for a CPU
 * profile: FAILING_BENCH_JOBS (default 3,000) always-failing jobs with varied errors (3 attempts,
 * 1 ms backoff, c10, prefetch 0) until all are dead letters. Prints node CPU, Redis CPU and Redis
 * commands per job, read after the pre-fill as bench:queue reads them (bench/queue-meter.ts), then (unless
 * FAILING_FLOOR=0, e.g. for a profile) the floor per attempt both libraries pay and Requeue's
 * record of a failure on the same errors (bench/failing-floor.ts), and what is left above them.
 */
import { failingFloor } from "./failing-floor.ts";
import { Meter } from "./queue-meter.ts";
import { benchTarget, requeue } from "./queue-runners.ts";

const N = Number(process.env.FAILING_BENCH_JOBS ?? 3000);

async function main(): Promise<void> {
  // pinned as bench:queue pins: node on core 0, redis-server on core 1 (where taskset exists)
  const { server, client, t, pinned } = await benchTarget();
  const meter = new Meter(client);
  const rate = await requeue.failing(
    t,
    "failing-cpu",
    N,
    10,
    { text: "x".repeat(1000) },
    { prefetch: 0, meter },
  );
  const m = meter.result!;
  const perJob = m.nodeCpuUs / N;
  client.disconnect();
  await server.stop();
  const floor = process.env.FAILING_FLOOR === "0" ? undefined : await failingFloor();
  console.log(
    JSON.stringify({
      bench: "failing-cpu",
      jobs: N,
      pinned,
      jobs_per_s: Math.round(rate),
      node_cpu_us_per_job: Math.round(perJob),
      redis_cpu_us_per_job: Math.round(m.redisCpuUs / N),
      commands_per_job: Number((m.commands / N).toFixed(2)),
      ...(floor && {
        floor_per_attempt: floor,
        // 3 attempts per dead job: what Requeue's consumer spends beyond the throw, the stack and failureOf
        rest_us_per_job: Math.round(perJob - 3 * (floor.floor_us + floor.requeue_record_us)),
      }),
    }),
  );
}

void main();
