/** Overview: the first page an admin sees — alerts, the retry worker, and every queue at a glance. */
import { requirePrincipal } from "#app/_lib/principal.ts";
import { OverviewView } from "#components/overview/overview-view.tsx";

export const metadata = { title: "Overview · Requeue" };

export default async function OverviewPage() {
  await requirePrincipal("viewer");
  return (
    <>
      <h1 data-testid="home">Overview</h1>
      <OverviewView />
    </>
  );
}
