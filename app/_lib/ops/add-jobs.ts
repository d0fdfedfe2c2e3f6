/**
 * Jobs added over HTTP (POST /api/v1/queues/{queue}/jobs), so a service in any language can
 * produce them. The body's shape is checked with zod; every rule of a job (id, delay, attempts,
 * metadata, payload size) is the library producer's own (lib/queue/producer.ts encodeJob), checked
 * for every job before any is written, and its message is answered with the field's place in the
 * body: 400, or 413 for a payload over JOB_MAX_PAYLOAD_BYTES. An id that exists is not added
 * again (`added: false`), as with the library.
 */
import { z } from "zod";
import { createQueue, QueueError } from "#lib/queue/index.ts";
import { encodeJob } from "#lib/queue/producer.ts";
import type { RedisClient } from "#lib/redis/connection.ts";
import { HttpError } from "../http-error.ts";

/** Jobs one request may add: one round trip, a bounded amount of Redis work. */
export const JOBS_PER_REQUEST = 1000;

const job = z
  .object({
    data: z.unknown().refine((v) => v !== undefined, "required (the job's payload, any JSON value)"),
    jobId: z.string().optional(),
    delayMs: z.number().optional(),
    maxAttempts: z.number().optional(),
    backoff: z
      .object({
        type: z.enum(["exponential", "fixed"]).optional(),
        baseMs: z.number(),
        maxMs: z.number().optional(),
      })
      .strict()
      .optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type NewJob = z.infer<typeof job>;

const batch = z.object({ jobs: z.array(job).min(1).max(JOBS_PER_REQUEST) }).strict();

/**
 * One job, or `{ jobs: [...] }` with 1 to JOBS_PER_REQUEST of them. Chosen by the `jobs` key (not
 * a z.union), so a refusal names the field of the shape that was meant.
 */
export const addJobsBody = z.unknown().transform((value, ctx): { jobs: NewJob[] } | NewJob => {
  const meant = typeof value === "object" && value !== null && "jobs" in value ? batch : job;
  const r = meant.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues)
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path.map(String) });
  return z.NEVER;
});

/** The library's refusal of a job, answered with where it is in the body. */
function refused(err: unknown, where: string): never {
  if (
    err instanceof QueueError &&
    ["INVALID_OPTION", "PAYLOAD_NOT_JSON", "PAYLOAD_TOO_LARGE"].includes(err.code)
  )
    throw new HttpError(err.code === "PAYLOAD_TOO_LARGE" ? 413 : 400, `${where}: ${err.message}`);
  throw err;
}

export async function addJobsOverHttp(client: RedisClient, queue: string, jobs: NewJob[], batch: boolean) {
  const q = createQueue(queue, { client });
  const items = jobs.map(({ data, ...opts }, i) => {
    try {
      encodeJob(q.ctx, data, opts);
    } catch (err) {
      refused(err, batch ? `body.jobs.${i}` : "body");
    }
    return { data, opts };
  });
  return q.addBatch(items);
}
