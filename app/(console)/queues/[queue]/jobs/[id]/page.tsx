/**
 * One job in any state. The server reads it once for the first paint, as the principal may see it
 * (these props reach the browser, so they are masked here, not in the client); the client keeps
 * it live and carries the actions (admins). A missing job or Redis down still renders: the client
 * view asks the API and says which.
 */
import type { Metadata } from "next";
import { showJob } from "#app/_lib/ops/jobs.ts";
import { type Principal, requirePrincipal } from "#app/_lib/principal.ts";
import type { JobDetail } from "#components/api-types.ts";
import { JobDetailView } from "#components/jobs/job-detail.tsx";

/** The tab names the job and its queue. */
export async function generateMetadata({
  params,
}: {
  params: Promise<{ queue: string; id: string }>;
}): Promise<Metadata> {
  const p = await params;
  return { title: `Job ${decodeURIComponent(p.id)} · ${decodeURIComponent(p.queue)} · Queues · Requeue` };
}

async function initialJob(principal: Principal, queue: string, id: string): Promise<JobDetail | undefined> {
  try {
    return await showJob(principal, queue, id);
  } catch {
    return undefined;
  }
}

export default async function JobPage({ params }: { params: Promise<{ queue: string; id: string }> }) {
  const principal = await requirePrincipal("viewer");
  const p = await params;
  const queue = decodeURIComponent(p.queue);
  const id = decodeURIComponent(p.id);
  return <JobDetailView queue={queue} id={id} initial={await initialJob(principal, queue, id)} />;
}
