/**
 * Write strategies (the seed's v1.1).
 *
 * write-through: write the source, then the cache, in one call. If the source write fails the
 *   cache is untouched; if only the cache write fails the next read loads from the source.
 * write-behind: the source write becomes a job on the reliable queue (lib/queue), so it is
 *   retried with backoff and dead-lettered like any other job, never silently lost; the cache is
 *   updated at once, so readers see the new value before the job runs. The job is added first:
 *   if that fails, nothing changed and the caller gets CACHE_WRITE_BEHIND_FAILED.
 *
 *   const writes = createQueue("profile-writes");
 *   await writeBehind(cache.namespace("user"), writes, "profile", profile, { user: id });
 *   writes.process(writeBehindHandler(async (value, key) => db.saveProfile(value)));
 */
import type { Handler, Job, JobOptions } from "../queue/index.ts";
import { CacheError } from "./errors.ts";
import type { CacheNamespace, WriteOptions } from "./namespace.ts";

/** What a write-behind job carries: where the value is cached, and the value. */
export interface WriteBehindJob<T = unknown> {
  namespace: string;
  key: string;
  user?: string;
  value: T;
}

/** The part of lib/queue's Queue that write-behind uses. */
export interface JobQueue {
  add<D>(data: D, opts?: JobOptions): Promise<{ id: string; added: boolean }>;
}

/** Writes the source, then the cache. Resolves to the value once the source has it. */
export async function writeThrough<T>(
  ns: CacheNamespace,
  key: string,
  value: T,
  writeSource: (value: T) => Promise<unknown>,
  opts: WriteOptions = {},
): Promise<T> {
  await writeSource(value);
  await ns.set(key, value, opts); // false on a Redis failure: the next read loads from the source
  return value;
}

/** Adds the source write as a job, then updates the cache. Resolves to the job's id. */
export async function writeBehind<T>(
  ns: CacheNamespace,
  queue: JobQueue,
  key: string,
  value: T,
  opts: WriteOptions & { job?: JobOptions } = {},
): Promise<{ jobId: string; cached: boolean }> {
  const { job, ...writeOpts } = opts;
  const data: WriteBehindJob<T> = {
    namespace: ns.name,
    key,
    value,
    ...(opts.user ? { user: opts.user } : {}),
  };
  let jobId: string;
  try {
    jobId = (await queue.add(data, job)).id;
  } catch (cause) {
    throw new CacheError(
      "CACHE_WRITE_BEHIND_FAILED",
      "the source write could not be queued; nothing changed",
      {
        cause,
      },
    );
  }
  const cached = await ns.set(key, value, writeOpts);
  return { jobId, cached };
}

/** The consumer side: a queue handler that performs the source write of each write-behind job. */
export function writeBehindHandler<T>(
  writeSource: (value: T, job: WriteBehindJob<T> & { id: string; attempt: number }) => Promise<unknown>,
): Handler<WriteBehindJob<T>> {
  return async (job: Job<WriteBehindJob<T>>) => {
    await writeSource(job.data.value, { ...job.data, id: job.id, attempt: job.attempt });
  };
}
