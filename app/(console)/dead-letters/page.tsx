/**
 * Dead letters: every entry that used up its attempts, filterable by queue, error group, time and
 * error text (all in the URL), in a list or grouped by error fingerprint.
 *
 * The list's page of rows is read here, on the server, through the function behind
 * GET /api/v1/dead-letters (masked for a viewer: these rows reach the browser's HTML), so the rows
 * are in the HTML instead of waiting for the client bundle and a fetch after hydration
 * (bench/README.md, bench:console). The client keeps it live from /api/v1 and keeps its last data
 * when Redis goes away; if this read fails, the client asks the API and shows why.
 */
import { Suspense } from "react";
import { listPage } from "#app/_lib/ops/dead-letters.ts";
import { listQuery } from "#app/_lib/ops/schemas.ts";
import { requirePrincipal } from "#app/_lib/principal.ts";
import type { FirstPage } from "#components/dead-letters/dead-letter-list.tsx";
import { DeadLettersView } from "#components/dead-letters/dead-letters-view.tsx";
import { type DeadLetterView, listQueryOf, parseView, viewSearch } from "#components/dead-letters/filters.ts";
import { Loading } from "#components/ui/states.tsx";

export const metadata = { title: "Dead letters · Requeue" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The list tab's rows for `view`, or nothing: the client then fetches and shows the right state. */
async function firstPage(view: DeadLetterView, role: string): Promise<FirstPage | undefined> {
  if (view.tab !== "list") return undefined;
  const query = listQuery.safeParse(listQueryOf(view));
  if (!query.success) return undefined; // the API answers the same 400 with its message
  try {
    return { search: viewSearch(view), page: await listPage(role, query.data), at: Date.now() };
  } catch {
    // An unknown queue, a stale cursor or Redis down: the client's request says which.
    return undefined;
  }
}

async function Rows({ view, role }: { view: DeadLetterView; role: string }) {
  return <DeadLettersView initial={await firstPage(view, role)} />;
}

export default async function DeadLettersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal("viewer");
  const view = parseView(await searchParams);
  return (
    <>
      <h1>Dead letters</h1>
      <Suspense fallback={<Loading what="dead letters" />}>
        <Rows view={view} role={principal.role} />
      </Suspense>
    </>
  );
}
