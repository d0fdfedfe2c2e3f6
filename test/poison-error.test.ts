/**
 * One job's hostile error must not stall its consumer (issue 12). A real consumer process
 * (test/poison/worker.ts, lib/queue on the suite's Redis) holds several slow jobs when one handler
 * throws an Error with a 30 KB message of `token` repeated — on the old redact() that message
 * kept the event loop busy for good: no lease was extended, no other job finished, SIGTERM went
 * unheard and the poison job never reached the DLQ.
 *
 * Here the other jobs run longer than a lease, so they finish only if their leases are extended
 * while the poison error is recorded: each must complete exactly once with no lease lost, the
 * poison job must be a dead letter with a bounded, redacted message, and the process must still
 * answer SIGTERM.
 */
import { spawn } from "node:child_process";
import { afterAll, expect, inject, it } from "vitest";
import { getDeadLetter } from "../lib/dlq/index.ts";
import { createQueue } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { until } from "./harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "./harness/index.ts";

const client = testRedis();
afterAll(() => client.quit());

const LEASE_SECONDS = 2;
const JOB_MS = 3000; // longer than a lease: only extended leases let these jobs finish
const OTHERS = 8;
const MESSAGE_MAX = 2000;

function startWorker(queue: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/poison/worker.ts"], {
    env: { ...process.env, ...env, QUEUE: queue, CONCURRENCY: String(OTHERS + 2) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, stdout: () => stdout };
}

it("a consumer holding other jobs records a 30 KB poison error and finishes the others on time", async () => {
  const overrides = {
    JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    ERROR_MESSAGE_MAX_LENGTH: String(MESSAGE_MAX),
  };
  const config = testConfig(overrides);
  const queue = createQueue(uniqueName("poison"), { client, config });
  const others = await queue.addBatch(Array.from({ length: OTHERS }, () => ({ data: { ms: JOB_MS } })));
  const poison = await queue.add({ poison: 30_000 }, { maxAttempts: 1 });

  const nodes = inject("redisClusterNodes");
  const env: Record<string, string> = { REDIS_URL: inject("redisUrl"), ...overrides };
  if (nodes) env.REDIS_CLUSTER_NODES = nodes.map((n) => `${n.host}:${n.port}`).join(",");
  const worker = startWorker(queue.name, env);
  try {
    // Generous: the jobs need 3 s; a consumer that never comes back does not get there at all.
    const settled = await until(async () => {
      const s = await queueSizes(client, queue.name);
      return s.completed === OTHERS && s.dead === 1;
    }, 30_000).catch(() => false);
    expect(settled, JSON.stringify(await queueSizes(client, queue.name))).toBe(true);

    // Each other job ran once (no lease expired, nobody ran it again).
    const runs = await client.hgetall(`${queue.ctx.keys.base}:runs`);
    for (const { id } of others) expect(runs[id], `runs of ${id}`).toBe("1");
    expect(runs[poison.id]).toBe("1");

    // The poison job is a dead letter with its message bounded and redacted.
    const letter = await getDeadLetter(client, queue.name, poison.id);
    const [error] = letter.errors;
    expect(error.message.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(error.message).toMatch(/^password=\[REDACTED\] /);
    expect(JSON.stringify(letter)).not.toContain("hunter2");

    // It still answers SIGTERM, and lost no lease on the way.
    worker.child.kill("SIGTERM");
    const code = await Promise.race([worker.exited, new Promise((r) => setTimeout(() => r("hung"), 15_000))]);
    expect(code).toBe(0);
    const counters = JSON.parse(worker.stdout().trim().split("\n").at(-1) ?? "{}");
    expect(counters).toMatchObject({ completed: OTHERS, deadLettered: 1, leaseLost: 0 });
  } finally {
    worker.child.kill("SIGKILL");
  }
}, 60_000);
