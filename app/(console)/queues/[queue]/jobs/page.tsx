/** A queue's jobs in one state (?state=waiting|active|scheduled|completed), a tab per state. */
import type { Metadata } from "next";
import Link from "next/link";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { JobsList } from "#components/jobs/jobs-list.tsx";
import { JobStateTabs } from "#components/jobs/state-tabs.tsx";
import { LIST_STATES, type ListState } from "#lib/queue/browse.ts";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ queue: string }>;
}): Promise<Metadata> {
  return { title: `Jobs · ${decodeURIComponent((await params).queue)} · Queues · Requeue` };
}

export default async function QueueJobsPage({
  params,
  searchParams,
}: {
  params: Promise<{ queue: string }>;
  searchParams: Promise<{ state?: string | string[] }>;
}) {
  await requirePrincipal("viewer");
  const name = decodeURIComponent((await params).queue);
  const asked = (await searchParams).state;
  const state: ListState = LIST_STATES.find((s) => s === asked) ?? "waiting";
  return (
    <>
      <Link href={`/queues/${encodeURIComponent(name)}`}>← Queue {name}</Link>
      <h1>
        Jobs of <code>{name}</code>
      </h1>
      <JobStateTabs queue={name} current={state} />
      <JobsList key={state} queue={name} state={state} />
    </>
  );
}
