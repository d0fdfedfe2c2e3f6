/**
 * One dead letter. The server reads it once for the first paint, as the principal may see it
 * (lib/dlq/view.ts: these props reach the browser, so they are masked here, not in the client);
 * the client keeps it fresh and carries the actions. A missing entry or Redis down still renders:
 * the client view says which.
 */

import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { requirePrincipal } from "#app/_lib/principal.ts";
import type { DeadLetter } from "#components/api-types.ts";
import { DeadLetterDetail } from "#components/dead-letters/detail/detail-view.tsx";
import { getDeadLetter } from "#lib/dlq/index.ts";
import { viewDeadLetter } from "#lib/dlq/view.ts";

export const metadata = { title: "Dead letter · Requeue" };

async function initialEntry(queue: string, id: string, role: string): Promise<DeadLetter | undefined> {
  try {
    return viewDeadLetter(await getDeadLetter(consoleRedis(), queue, id), role);
  } catch {
    // Not found, invalid or Redis down: the client view asks the API and shows the right state.
    return undefined;
  }
}

export default async function DeadLetterPage({ params }: { params: Promise<{ queue: string; id: string }> }) {
  const principal = await requirePrincipal("viewer");
  const p = await params;
  const queue = decodeURIComponent(p.queue);
  const id = decodeURIComponent(p.id);
  const initial = await initialEntry(queue, id, principal.role);
  return <DeadLetterDetail queue={queue} id={id} initial={initial} />;
}
