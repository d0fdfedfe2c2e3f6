/** One queue's detail: sizes, its per-minute traffic chart, and (admins) Pause / Resume. */
import type { Metadata } from "next";
import Link from "next/link";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { QueueDetail } from "#components/queues/queue-detail.tsx";
import { pauseQueueAction, resumeQueueAction } from "./actions.ts";

/** The tab names the queue: several queues open side by side stay told apart. */
export async function generateMetadata({
  params,
}: {
  params: Promise<{ queue: string }>;
}): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).queue)} · Queues · Requeue` };
}

export default async function QueuePage({ params }: { params: Promise<{ queue: string }> }) {
  const principal = await requirePrincipal("viewer");
  const pauseActions =
    principal.role === "admin" ? { pause: pauseQueueAction, resume: resumeQueueAction } : undefined;
  const { queue } = await params;
  const name = decodeURIComponent(queue);
  return (
    <>
      <Link href="/queues">← Queues</Link>
      <h1>
        Queue <code>{name}</code>
      </h1>
      <QueueDetail name={name} pauseActions={pauseActions} />
    </>
  );
}
