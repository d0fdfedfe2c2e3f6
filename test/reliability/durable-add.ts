/**
 * Adding jobs so that a Redis failover cannot lose them: `addDurable` is `queue.addBatch` followed
 * by `WAIT <replicas> <timeout>` on the same connection, routed to the queue's master (a pipeline
 * holding one command on a key of the queue, so a Cluster client sends it to the slot's owner).
 *
 * Redis replicates asynchronously: a master acknowledges a write before its replicas have it, and
 * if it dies in between, the promoted replica never had the write. WAIT returns once `replicas`
 * replicas acknowledged every earlier write of this connection, which closes that window for
 * one failure. It costs one more round trip per batch (figures in docs/RELIABILITY.md).
 */
import type { AddResult, JobOptions, Queue } from "../../lib/queue/index.ts";

export interface DurableResult {
  results: AddResult[];
  /** replicas that acknowledged the batch (WAIT's answer) */
  replicas: number;
}

export class NotReplicatedError extends Error {
  constructor(
    readonly replicas: number,
    readonly wanted: number,
  ) {
    super(`the batch reached ${replicas} of ${wanted} replica(s) in time: it may not survive a failover`);
    this.name = "NotReplicatedError";
  }
}

export async function addDurable(
  queue: Queue,
  jobs: { data: unknown; opts?: JobOptions }[],
  { replicas = 1, timeoutMs = 1000 }: { replicas?: number; timeoutMs?: number } = {},
): Promise<DurableResult> {
  const results = await queue.addBatch(jobs);
  const replies = await queue.ctx.client
    .pipeline()
    .exists(queue.ctx.keys.ready)
    .call("WAIT", String(replicas), String(timeoutMs))
    .exec();
  const [err, acked] = replies?.[1] ?? [new Error("no reply to WAIT"), 0];
  if (err) throw err;
  if (Number(acked) < replicas) throw new NotReplicatedError(Number(acked), replicas);
  return { results, replicas: Number(acked) };
}
