/** One queue's detail: sizes and its per-minute traffic chart. */
import Link from "next/link";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { QueueDetail } from "#components/queues/queue-detail.tsx";

export const metadata = { title: "Queue · Requeue" };

export default async function QueuePage({ params }: { params: Promise<{ queue: string }> }) {
  await requirePrincipal("viewer");
  const { queue } = await params;
  const name = decodeURIComponent(queue);
  return (
    <>
      <Link href="/queues">← Queues</Link>
      <h1>
        Queue <code>{name}</code>
      </h1>
      <QueueDetail name={name} />
    </>
  );
}
