/**
 * Requeue and delete of dead letters named by id: one, or a list (in batches of BATCH_MAX ids,
 * one script call each). Every batch is atomic and idempotent: an id that is no longer dead is
 * reported as gone and left alone. Scopes by filter, group or "all" go through bulk.ts.
 */
import type { RedisClient } from "../redis/connection.ts";
import { notFound } from "./errors.ts";
import {
  idListSchema,
  jobIdSchema,
  parseInput,
  queueNameSchema,
  type RequeueOptions,
  requeueOptionsSchema,
} from "./schemas.ts";
import { BATCH_MAX, type BatchResult, deleteBatch, requeueBatch } from "./scripts.ts";

export interface MutationResult {
  /** requeued or deleted */
  done: number;
  /** no longer in the DLQ (requeued, deleted or expired meanwhile) */
  gone: number;
}

function validIds(queue: string, ids: string[]) {
  parseInput(queueNameSchema, queue, "queue name");
  return parseInput(idListSchema, ids, "job ids");
}

async function inBatches(
  ids: string[],
  fn: (batch: string[]) => Promise<BatchResult>,
): Promise<MutationResult> {
  const total = { done: 0, gone: 0 };
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += BATCH_MAX) {
    const r = await fn(unique.slice(i, i + BATCH_MAX));
    total.done += r.done;
    total.gone += r.gone;
  }
  return total;
}

/**
 * Requeues dead letters by id, optionally with an edited payload (JSON text; the original is kept
 * in each entry's history) and a delay. Invalid input is refused before anything changes.
 */
export async function requeueDeadLetters(
  client: RedisClient,
  queue: string,
  ids: string[],
  options: RequeueOptions = {},
): Promise<MutationResult> {
  const list = validIds(queue, ids);
  const opts = parseInput(requeueOptionsSchema(), options, "requeue options");
  return inBatches(list, (batch) => requeueBatch(client, queue, { ids: batch }, opts));
}

/** Requeues one dead letter; NOT_FOUND when it is not (or no longer) in the DLQ. */
export async function requeueDeadLetter(
  client: RedisClient,
  queue: string,
  id: string,
  options: RequeueOptions = {},
): Promise<void> {
  parseInput(jobIdSchema, id, "job id");
  const r = await requeueDeadLetters(client, queue, [id], options);
  if (r.done === 0) throw notFound(queue, id);
}

export async function deleteDeadLetters(
  client: RedisClient,
  queue: string,
  ids: string[],
): Promise<MutationResult> {
  const list = validIds(queue, ids);
  return inBatches(list, (batch) => deleteBatch(client, queue, { ids: batch }));
}

/** Deletes one dead letter; NOT_FOUND when it is not (or no longer) in the DLQ. */
export async function deleteDeadLetter(client: RedisClient, queue: string, id: string): Promise<void> {
  parseInput(jobIdSchema, id, "job id");
  const r = await deleteDeadLetters(client, queue, [id]);
  if (r.done === 0) throw notFound(queue, id);
}
