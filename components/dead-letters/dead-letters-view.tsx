"use client";
/** The dead letters page body: filters and tabs from the URL, then the list or the grouped view. */
import { DeadLetterList } from "./dead-letter-list.tsx";
import { FilterBar } from "./filter-bar.tsx";
import { filtersOf } from "./filters.ts";
import { GroupsTable } from "./groups-table.tsx";
import { useDeadLetterView } from "./use-view.ts";

export function DeadLettersView() {
  const [view, update] = useDeadLetterView();
  return (
    <>
      <FilterBar view={view} update={update} />
      {view.tab === "groups" ? (
        <GroupsTable filters={filtersOf(view)} />
      ) : (
        <DeadLetterList view={view} update={update} />
      )}
    </>
  );
}
