/**
 * The floor of the failing path: what a queue library pays per failed attempt before it records
 * anything, measured in the bench's own process (same node, same tsx source maps, same pinning).
 * Both runners' handler is `async () => throwVaried()` (bench/queue-runners.ts): the throw of a
 * varied error (bench/varied-errors.ts) as a rejected promise, then one read of `err.stack` —
 * V8 formats the captured frames on that first read (under tsx, through node's source-map
 * formatter). Requeue reads it in describeThrown (lib/queue/thrown.ts), BullMQ in
 * Job.moveToFailed (`stacktrace.push(err.stack)`). Beside it, Requeue's own record of a failure
 * (failureOf, lib/queue/outcome.ts: frames, redaction, fingerprint, JSON) on the same errors.
 *
 * CPU per attempt (process.cpuUsage), so the figures hold on a busy machine; a dead job here is
 * 3 attempts. `floorRow` turns them into what bounds the failing ratio: if a library's node CPU
 * per dead job were the floor alone, ours ÷ theirs could be at most theirs ÷ floor.
 *
 * A lower bound: the loop runs the same work back to back (warm caches, frames of one file in a
 * row, which node's source-map formatter looks up once). Inside the consumer, with its frames
 * under the handler and the lease loop's work in between, the same err.stack read measured
 * ~1.5× more CPU and failureOf ~2.5× more (cpuUsage around them in situ, session 6).
 */
import { failureOf } from "../lib/queue/outcome.ts";
import { throwVaried } from "./varied-errors.ts";

const ATTEMPTS_PER_DEAD = 3;
/** ERROR_MESSAGE_MAX_LENGTH's default (lib/config.ts), as the bench's consumers run. */
const MESSAGE_MAX = 2000;

const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

/** Per failed attempt, µs of node CPU. */
export interface Floor {
  /** the handler's throw, caught as a rejection (stack captured, not formatted) */
  throw_us: number;
  /** the first read of err.stack: V8/node formatting the frames */
  stack_us: number;
  /** throw + stack: what both libraries pay */
  floor_us: number;
  /** Requeue's failureOf on the same errors (its stack already formatted) */
  requeue_record_us: number;
}

const handler = async () => throwVaried();

async function once(n: number): Promise<Floor> {
  let t = cpuUs();
  const errors: Error[] = [];
  for (let i = 0; i < n; i++) errors.push(await handler().catch((e: Error) => e));
  const throwUs = (cpuUs() - t) / n;
  t = cpuUs();
  let chars = 0;
  for (const e of errors) chars += e.stack?.length ?? 0;
  const stackUs = (cpuUs() - t) / n;
  t = cpuUs();
  for (let i = 0; i < n; i++)
    chars += failureOf(
      { id: String(i), attempt: 1, backoffBaseMs: 1, backoffMaxMs: 1 },
      errors[i],
      "floor",
      MESSAGE_MAX,
    ).record.length;
  const recordUs = (cpuUs() - t) / n;
  if (chars === 0) throw new Error("failing-floor: no stacks read");
  return { throw_us: throwUs, stack_us: stackUs, floor_us: throwUs + stackUs, requeue_record_us: recordUs };
}

/** The median of `rounds` measurements of `n` attempts each (the first, a warm-up, discarded). */
export async function failingFloor(n = 3000, rounds = 5): Promise<Floor> {
  await once(Math.min(n, 500));
  const runs: Floor[] = [];
  for (let r = 0; r < rounds; r++) runs.push(await once(n));
  const med = (k: keyof Floor) => {
    const s = runs.map((x) => x[k]).sort((a, b) => a - b);
    return Number(s[Math.floor(s.length / 2)].toFixed(1));
  };
  return {
    throw_us: med("throw_us"),
    stack_us: med("stack_us"),
    floor_us: med("floor_us"),
    requeue_record_us: med("requeue_record_us"),
  };
}

/** The decomposition per dead job (3 attempts) against the measured node CPU per dead job. */
export function floorRow(f: Floor, oursNodeUs: number, theirsNodeUs: number) {
  const floor = f.floor_us * ATTEMPTS_PER_DEAD;
  const record = f.requeue_record_us * ATTEMPTS_PER_DEAD;
  const r1 = (x: number) => Number(x.toFixed(1));
  return {
    per_attempt: f,
    floor_us_per_dead_job: r1(floor),
    requeue_record_us_per_dead_job: r1(record),
    requeue_rest_us_per_dead_job: r1(oursNodeUs - floor - record),
    bullmq_above_floor_us_per_dead_job: r1(theirsNodeUs - floor),
    /** ours ÷ theirs if our node CPU per dead job were the floor alone (node-bound, as measured) */
    ratio_ceiling: Number((theirsNodeUs / floor).toFixed(2)),
    /** node CPU per dead job ours would need for 2× (theirs ÷ 2) */
    node_us_for_2x: r1(theirsNodeUs / 2),
  };
}

/** The row bench/queue.ts prints under its table. */
export function floorLine(
  row: ReturnType<typeof floorRow>,
  oursNodeUs: number,
  theirsNodeUs: number,
): string {
  const f = row.per_attempt;
  return (
    `failing floor (node CPU, this process, warm loop: a lower bound): per attempt throw ${f.throw_us} µs + err.stack ${f.stack_us} µs ` +
    `= ${f.floor_us} µs (both libraries); per dead job (3 attempts) floor ${row.floor_us_per_dead_job} µs, ` +
    `Requeue's record (failureOf) ${row.requeue_record_us_per_dead_job} µs, Requeue's rest ` +
    `${row.requeue_rest_us_per_dead_job} µs (of ${Math.round(oursNodeUs)}); BullMQ above the floor ` +
    `${row.bullmq_above_floor_us_per_dead_job} µs (of ${Math.round(theirsNodeUs)}); ratio ceiling at the floor ` +
    `${row.ratio_ceiling}×, 2× needs ours ≤ ${row.node_us_for_2x} µs`
  );
}
