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
import { listPage } from "#app/_lib/ops/dead-letters.ts";
import { listQuery } from "#app/_lib/ops/schemas.ts";
import { requirePrincipal } from "#app/_lib/principal.ts";
import type { FirstPage } from "#components/dead-letters/dead-letter-list.tsx";
import { DeadLettersView } from "#components/dead-letters/dead-letters-view.tsx";
import { type DeadLetterView, listQueryOf, parseView, viewSearch } from "#components/dead-letters/filters.ts";

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

/**
 * No Suspense boundary of its own around the rows (loading.tsx is the page's): React reveals each
 * streamed boundary at most every 300 ms after the last paint, so a second one, around the rows,
 * would show them a throttle later than the heading (bench/README.md, bench:console).
 */
export default async function DeadLettersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal("viewer");
  const view = parseView(await searchParams);
  const initial = await firstPage(view, principal.role);
  return (
    <>
      <h1>Dead letters</h1>
      <DeadLettersView initial={initial} />
    </>
  );
}
