/** Queues: every queue's sizes and recent rates in one sortable table (sort lives in the URL). */
import { Suspense } from "react";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { QueuesTable } from "#components/queues/queues-table.tsx";
import { Loading } from "#components/ui/states.tsx";

export const metadata = { title: "Queues · Requeue" };

export default async function QueuesPage() {
  await requirePrincipal("viewer");
  return (
    <>
      <h1>Queues</h1>
      <Suspense fallback={<Loading what="queues" />}>
        <QueuesTable />
      </Suspense>
    </>
  );
}
