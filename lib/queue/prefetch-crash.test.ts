/**
 * A consumer SIGKILLed while it holds prefetched jobs (leased ahead, handler not started):
 * those jobs must keep their whole attempt budget. Only a job whose handler started spends an
 * attempt. The consumer is a real child process (testdata/holding-consumer.ts), killed with
 * SIGKILL, so nothing of its shutdown path runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { closeQueue, testQueue, until } from "../../test/harness/fixtures.ts";
import { testConfig } from "../../test/harness/index.ts";
import type { Queue } from "./index.ts";
import { reclaimExpired } from "./maintenance.ts";
import type { AttemptError } from "./types.ts";

let q: Queue;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  await closeQueue(q);
});

const LEASE_MS = 600;

function startChild(queue: string): { child: ChildProcess; started: string[] } {
  const config = testConfig();
  const nodes = config.REDIS_CLUSTER_NODES?.map((n) => `${n.host}:${n.port}`).join(",");
  const proc = spawn(process.execPath, ["--import", "tsx", "lib/queue/testdata/holding-consumer.ts"], {
    env: {
      ...process.env,
      REDIS_URL: config.REDIS_URL,
      ...(nodes ? { REDIS_CLUSTER_NODES: nodes } : {}),
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      QUEUE: queue,
      PREFETCH: "4",
      LEASE_MS: String(LEASE_MS),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const started: string[] = [];
  let buffered = "";
  proc.stdout?.on("data", (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("started ")) started.push(line.slice(8));
  });
  return { child: proc, started };
}

it("a SIGKILLed consumer's prefetched jobs keep their full attempt budget; a started one spends one", async () => {
  q = testQueue();
  const job = (id: string) => q.ctx.client.hgetall(q.ctx.keys.job(id));
  // Leased in this order: "quick" runs and finishes, "held" then starts (from prefetch) and
  // never finishes, p1..p3 wait in the child's prefetch and never start.
  const prefetched = ["p1", "p2", "p3"];
  const order = ["quick", "held", ...prefetched];
  await q.addBatch(
    order.map((id) => ({
      data: { hold: id === "held" },
      opts: { jobId: id, maxAttempts: 2, backoff: { type: "fixed" as const, baseMs: 10 } },
    })),
  );
  const c = startChild(q.name);
  child = c.child;
  await until(() => c.started.includes("held"), 15_000, "the child to start the held job");
  // the held job started from prefetch: its start reaches Redis with the child's next lease call
  await until(async () => (await job("held")).pf === undefined, 5000, "the start of 'held' to be recorded");
  await until(async () => (await q.ctx.client.zcard(q.ctx.keys.active)) === 4, 5000, "4 leases");
  child.kill("SIGKILL");
  await new Promise((r) => child?.once("exit", r));
  expect(c.started).toEqual(["quick", "held"]);

  // Leases expire; the reclaim puts all four back.
  let back = 0;
  await until(
    async () => {
      back += (await reclaimExpired(q.ctx)).reclaimed ?? 0;
      return back === 4;
    },
    5000,
    "the expired leases to be reclaimed",
  );
  for (const id of prefetched) {
    const h = await job(id);
    expect({ id, attempts: h.attempts, errors: h.errors }).toEqual({ id, attempts: "0", errors: undefined });
  }
  const held = await job("held");
  expect(held.attempts).toBe("1");
  expect((JSON.parse(held.errors) as AttemptError[]).map((e) => [e.attempt, e.name])).toEqual([
    [1, "LeaseExpired"],
  ]);

  // Each job now fails its first run here and succeeds on the next, if it gets one.
  const runs: Record<string, number[]> = {};
  q.process(
    (j) => {
      runs[j.id] = [...(runs[j.id] ?? []), j.attempt];
      if (runs[j.id].length === 1) throw new Error("first run here fails");
    },
    { concurrency: 2, prefetch: 2 },
  );
  const dead = () => q.ctx.client.zrange(q.ctx.keys.dead, "0", "-1");
  const completed = () => q.ctx.client.zrange(q.ctx.keys.completed, "0", "-1");
  await until(
    async () => (await completed()).length === 4 && (await dead()).length === 1,
    10_000,
    "all settled",
  );
  // prefetched jobs: two handler runs, attempts 1 and 2, then completed — not dead
  for (const id of prefetched) expect({ id, attempts: runs[id] }).toEqual({ id, attempts: [1, 2] });
  expect((await completed()).sort()).toEqual(["p1", "p2", "p3", "quick"]);
  // the held job ran once in the child (attempt 1, lease expired) and once here: its budget is spent
  expect(runs.held).toEqual([2]);
  expect(await dead()).toEqual(["held"]);
}, 40_000);
