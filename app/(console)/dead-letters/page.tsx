/**
 * Dead letters: every entry that used up its attempts, filterable by queue, error group, time and
 * error text (all in the URL), in a list or grouped by error fingerprint. Data is fetched live
 * from /api/v1 by the client so the page keeps its last data when Redis goes away.
 */
import { Suspense } from "react";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { DeadLettersView } from "#components/dead-letters/dead-letters-view.tsx";
import { Loading } from "#components/ui/states.tsx";

export const metadata = { title: "Dead letters · Requeue" };

export default async function DeadLettersPage() {
  await requirePrincipal("viewer");
  return (
    <>
      <h1>Dead letters</h1>
      <Suspense fallback={<Loading what="dead letters" />}>
        <DeadLettersView />
      </Suspense>
    </>
  );
}
