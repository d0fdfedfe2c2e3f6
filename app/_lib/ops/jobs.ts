/**
 * The jobs of a queue in each state, one job in any state, and the admin's actions on one job,
 * behind both the JSON API and (later) the console's pages and server actions. Reads are shown
 * as the caller's role may see them (lib/dlq/view.ts masking, through lib/queue/job-view.ts).
 */
import { z } from "zod";
import { notFound, route } from "#app/_lib/http.ts";
import { queueExists } from "#app/_lib/ops/queues.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { entryParams } from "#app/_lib/ops/schemas.ts";
import type { Principal, Role } from "#app/_lib/principal.ts";
import type { FoundJob } from "#components/api-types.ts";
import { getConfig } from "#lib/config.ts";
import { JOBS_PAGE_DEFAULT, JOBS_PAGE_MAX, type JobsPage, LIST_STATES, listJobs } from "#lib/queue/browse.ts";
import { queueSettings } from "#lib/queue/job.ts";
import { type JobAction, type JobActionResult, jobAction } from "#lib/queue/job-actions.ts";
import { findJob, type JobDetail, requireJob, viewJob, viewJobsPage } from "#lib/queue/job-view.ts";

export const jobsQuery = z
  .object({
    state: z.enum(LIST_STATES, { error: `state must be one of ${LIST_STATES.join(", ")}` }),
    cursor: z.string().min(1).max(500, "a cursor from a previous page's nextCursor").optional(),
    limit: z.coerce
      .number({ error: `limit: a page size between 1 and ${JOBS_PAGE_MAX}` })
      .int(`limit: a page size between 1 and ${JOBS_PAGE_MAX}`)
      .min(1, `limit: a page size between 1 and ${JOBS_PAGE_MAX}`)
      .max(JOBS_PAGE_MAX, `limit: a page size between 1 and ${JOBS_PAGE_MAX}`)
      .default(JOBS_PAGE_DEFAULT),
  })
  .strict();
export type JobsQuery = z.infer<typeof jobsQuery>;

/** Unknown queue → 404 (a typo in a queue name should not read as "no jobs"). */
async function assertQueue(queue: string): Promise<void> {
  if (!(await queueExists(consoleRedis(), queue))) throw notFound(`No queue named "${queue}"`);
}

export async function listQueueJobs(principal: Principal, queue: string, q: JobsQuery): Promise<JobsPage> {
  await assertQueue(queue);
  const client = consoleRedis();
  const page = await listJobs(client, queue, { state: q.state, cursor: q.cursor, limit: q.limit });
  return viewJobsPage(client, page, principal.role);
}

export async function showJob(principal: Principal, queue: string, id: string): Promise<JobDetail> {
  await assertQueue(queue);
  return viewJob(await requireJob(consoleRedis(), queue, id), principal.role);
}

/** A job id looked for in every queue; 404 when none has it. */
export async function findJobAnywhere(principal: Principal, id: string): Promise<FoundJob> {
  const client = consoleRedis();
  const matches = await findJob(client, id);
  const first = matches[0];
  const job = first ? await requireJob(client, first.queue, id).catch(() => null) : null;
  if (!first || !job) throw notFound(`No queue has a job with id ${JSON.stringify(id)}`);
  return { id, matches, job: viewJob(job, principal.role) };
}

export async function runJobAction(
  principal: Principal,
  queue: string,
  id: string,
  action: JobAction,
): Promise<JobActionResult> {
  await assertQueue(queue);
  const settings = queueSettings(getConfig());
  return jobAction(consoleRedis(), settings, queue, id, action, principal.email ?? principal.name);
}

/**
 * POST /api/v1/queues/{queue}/jobs/{id}/<action>: every job action's route is this one, audited
 * as `job.<action>`. The route file still states its role — `jobActionRoute({ role: "admin", … })`
 * — where the access matrix (e2e/helpers/auth-routes.ts) reads it.
 */
export function jobActionRoute({ role, action }: { role: Role; action: JobAction }) {
  return route(
    {
      role,
      params: entryParams,
      audit: { action: `job.${action}`, target: ({ params }) => `${params.queue}/${params.id}` },
    },
    ({ params, principal }) => runJobAction(principal, params.queue, params.id, action),
  );
}
