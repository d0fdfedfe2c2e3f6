/**
 * The producer: jobs enter a queue here. Everything is checked before anything is written —
 * the payload must be JSON-serialisable and under JOB_MAX_PAYLOAD_BYTES — then a batch goes to
 * Redis as one round trip (add-6.lua, chunks of 500 jobs pipelined together). With
 * JOB_ADD_REPLICAS > 0 a WAIT rides in the same pipeline: the add resolves once that many
 * replicas have the jobs, so a failover cannot lose an acknowledged job. Every add has a bound
 * (JOB_ADD_TIMEOUT_MS or the call's `addTimeoutMs`): a producer inside a web request must not
 * wait on a Redis that is down or paused.
 */

import { addKeys, type QueueContext } from "./context.ts";
import { AddTimeoutError, NotReplicatedError, QueueError } from "./errors.ts";
import type { AddCallOptions, AddResult, JobOptions } from "./job.ts";
import { backoffFields } from "./retry.ts";
import { pipeScript, runScript, scriptPipeline } from "./scripts.ts";

const CHUNK = 500;

function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new QueueError("PAYLOAD_NOT_JSON", `${what} is not JSON-serialisable: ${(err as Error).message}`);
  }
  if (json === undefined) throw new QueueError("PAYLOAD_NOT_JSON", `${what} is not JSON-serialisable`);
  return json;
}

function checkSize(json: string, max: number, what: string): void {
  if (json.length * 3 <= max) return; // a UTF-16 unit is at most 3 UTF-8 bytes: no need to count
  const bytes = Buffer.byteLength(json);
  if (bytes > max)
    throw new QueueError("PAYLOAD_TOO_LARGE", `${what} is ${bytes} bytes, over the limit of ${max}`);
}

function checkOptions(opts: JobOptions): void {
  const bad = (msg: string) => new QueueError("INVALID_OPTION", msg);
  if (opts.jobId !== undefined) {
    if (typeof opts.jobId !== "string" || opts.jobId.length === 0 || opts.jobId.length > 256)
      throw bad("jobId must be a string of 1 to 256 characters");
    // Redis keys are UTF-8: two ids differing in a lone surrogate would name one job.
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(opts.jobId))
      throw bad("jobId must be well-formed text (it has a lone UTF-16 surrogate)");
    if (/^\d+$/.test(opts.jobId))
      throw bad(`jobId must not be all digits (got "${opts.jobId}"): those are generated ids`);
  }
  if (opts.delayMs !== undefined && !(Number.isFinite(opts.delayMs) && opts.delayMs >= 0))
    throw bad("delayMs must be a number >= 0");
  if (opts.maxAttempts !== undefined && !(Number.isInteger(opts.maxAttempts) && opts.maxAttempts >= 1))
    throw bad("maxAttempts must be an integer >= 1");
  if (opts.backoff && !(Number.isFinite(opts.backoff.baseMs) && opts.backoff.baseMs >= 0))
    throw bad("backoff.baseMs must be a number >= 0");
  if (
    opts.metadata !== undefined &&
    (typeof opts.metadata !== "object" || opts.metadata === null || Array.isArray(opts.metadata))
  )
    throw bad("metadata must be a plain object");
}

/** The 7 ARGV entries of one job (see add-6.lua), or a thrown QueueError. */
export function encodeJob(ctx: QueueContext, data: unknown, opts: JobOptions = {}): (string | number)[] {
  checkOptions(opts);
  const s = ctx.settings;
  const payload = toJson(data, "payload");
  checkSize(payload, s.maxPayloadBytes, "payload");
  const meta = opts.metadata && Object.keys(opts.metadata).length ? toJson(opts.metadata, "metadata") : "";
  checkSize(meta, s.maxPayloadBytes, "metadata");
  const backoff = backoffFields(opts.backoff ?? { baseMs: s.backoffBaseMs }, s.backoffMaxMs);
  return [
    opts.jobId ?? "",
    payload,
    meta,
    opts.maxAttempts ?? s.maxAttempts,
    backoff.baseMs,
    backoff.maxMs,
    Math.round(opts.delayMs ?? 0),
  ];
}

/** Adds jobs: validates all first, then one round trip. Results are in input order. */
export async function addJobs(
  ctx: QueueContext,
  items: { data: unknown; opts?: JobOptions }[],
): Promise<AddResult[]> {
  const encoded = items.map((it) => encodeJob(ctx, it.data, it.opts));
  if (encoded.length === 0) return [];
  const { addReplicas, addReplicasTimeoutMs } = ctx.settings;
  // One chunk and no WAIT: one script call, without building an ioredis Pipeline (a single add()
  // spent a good part of its node CPU constructing and flushing one).
  if (encoded.length <= CHUNK && addReplicas === 0) {
    const args = encoded.length === 1 ? encoded[0] : encoded.flat();
    const reply = await runScript<(string | number)[]>(ctx.client, "add", addKeys(ctx.keys), args).catch(
      (err: Error) => {
        throw scriptFailed(ctx, err);
      },
    );
    return addResults(reply, []);
  }
  const pipeline = scriptPipeline(ctx.client);
  for (let i = 0; i < encoded.length; i += CHUNK) {
    pipeScript(pipeline, "add", addKeys(ctx.keys), encoded.slice(i, i + CHUNK).flat());
  }
  // Keyless, WAIT goes where the pipeline goes: the master of the queue's slot, after the adds.
  if (addReplicas > 0) pipeline.call("WAIT", addReplicas, addReplicasTimeoutMs);
  const replies = (await pipeline.exec()) ?? [];
  const waited = addReplicas > 0 ? replies.pop() : undefined;
  const results: AddResult[] = [];
  for (const [err, reply] of replies) {
    if (err) throw scriptFailed(ctx, err);
    addResults(reply as (string | number)[], results);
  }
  if (waited) {
    const [err, acked] = waited;
    if (err)
      throw new QueueError("SCRIPT_FAILED", `WAIT after add to ${ctx.name}: ${err.message}`, { cause: err });
    if (Number(acked) < addReplicas) throw new NotReplicatedError(results, Number(acked), addReplicas);
  }
  return results;
}

const scriptFailed = (ctx: QueueContext, err: Error) =>
  new QueueError("SCRIPT_FAILED", `add to queue ${ctx.name}: ${err.message}`, { cause: err });

/** add-6.lua's reply (id, added flag, id, added flag, …) appended to `results`. */
function addResults(flat: (string | number)[], results: AddResult[]): AddResult[] {
  for (let i = 0; i < flat.length; i += 2) results.push({ id: String(flat[i]), added: flat[i + 1] === 1 });
  return results;
}

/** The add's bound in ms (0 = none): the call's `addTimeoutMs`, else JOB_ADD_TIMEOUT_MS. */
export function addTimeout(ctx: QueueContext, call?: AddCallOptions): number {
  const ms = call?.addTimeoutMs ?? ctx.settings.addTimeoutMs;
  if (!(Number.isFinite(ms) && ms >= 0))
    throw new QueueError("INVALID_OPTION", "addTimeoutMs must be a number >= 0");
  return ms;
}

/**
 * `work`, or an AddTimeoutError when it has not settled after `ms` (0: no bound). The command
 * stays with the client (sent, or queued until Redis is back), so it may still be applied later:
 * the error says so, and a retry with the same job ids is safe.
 */
export function boundAdd<T>(work: Promise<T>, ms: number, queue: string, jobs: number): Promise<T> {
  if (ms === 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AddTimeoutError(queue, ms, jobs)), ms);
  });
  // race() also handles a rejection of `work` that comes after the timeout
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
