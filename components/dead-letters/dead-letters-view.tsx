"use client";
/** The dead letters page body: filters and tabs from the URL, then the list or the grouped view. */
import { DeadLetterList, type FirstPage } from "./dead-letter-list.tsx";
import { FilterBar } from "./filter-bar.tsx";
import { filtersOf } from "./filters.ts";
import { GroupsTable } from "./groups-table.tsx";
import { useDeadLetterView } from "./use-view.ts";

/** `initial`: the list's rows as the server read them for the URL's view (page.tsx). */
export function DeadLettersView({ initial }: { initial?: FirstPage }) {
  const [view, update] = useDeadLetterView();
  return (
    <>
      <FilterBar view={view} update={update} />
      {view.tab === "groups" ? (
        <GroupsTable filters={filtersOf(view)} />
      ) : (
        <DeadLetterList view={view} update={update} initial={initial} />
      )}
    </>
  );
}
