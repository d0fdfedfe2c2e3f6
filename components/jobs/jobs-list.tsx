"use client";
/**
 * A queue's jobs in one state, live (components/use-live-query.ts), a cursor page at a time:
 * "Next page" follows the API's nextCursor, "First page" goes back to the start. Loading, empty
 * and error states say what they mean; a failed refresh keeps the last rows with a note.
 */
import { useState } from "react";
import { ApiError, api } from "#components/api-client.ts";
import { formatCount } from "#components/format.ts";
import { qk } from "#components/query-keys.ts";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { useLiveQuery } from "#components/use-live-query.ts";
import type { ListState } from "#lib/queue/browse.ts";
import { JobsTable } from "./job-tables.tsx";

const EMPTY: Record<ListState, string> = {
  waiting: "Nothing waits: every job added has been taken by a consumer.",
  active: "No consumer holds a job of this queue right now.",
  scheduled: "No retry or delayed job is due later.",
  completed: "No completed job is kept (COMPLETED_RETENTION_SECONDS / COMPLETED_MAX_ENTRIES).",
};

export function JobsList({ queue, state }: { queue: string; state: ListState }) {
  const [cursor, setCursor] = useState<string | undefined>();
  const [pageNo, setPageNo] = useState(1);
  const page = useLiveQuery(qk.jobs.list(queue, state, cursor), (signal) =>
    api.jobs(queue, state, cursor, signal),
  );
  if (page.isPending) return <Loading what={`${state} jobs`} />;
  if (page.isError && !page.data) {
    if (page.error instanceof ApiError && page.error.status === 404)
      return (
        <Empty title={`No queue named ${queue}`}>Queues appear once a producer adds a job to them.</Empty>
      );
    return (
      <ErrorState
        title={`The ${state} jobs could not be loaded`}
        message={page.error.message}
        retry={() => page.refetch()}
      />
    );
  }
  const d = page.data;
  return (
    <section data-testid="jobs-list" data-state={state}>
      {page.isRefetchError ? <StaleNote since={page.dataUpdatedAt} /> : null}
      <p className="muted" data-testid="jobs-total">
        {formatCount(d.total)} {state} {d.total === 1 ? "job" : "jobs"}
        {d.total > 0 ? ` · page ${pageNo}` : ""}
      </p>
      {d.items.length === 0 ? (
        <Empty title={cursor ? "No more jobs on this page" : `No ${state} jobs`}>{EMPTY[state]}</Empty>
      ) : (
        <JobsTable page={d} />
      )}
      <div className="pager">
        <button
          type="button"
          className="btn btn-quiet"
          disabled={!cursor}
          onClick={() => {
            setCursor(undefined);
            setPageNo(1);
          }}
        >
          « First page
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          data-testid="next-page"
          disabled={!d.nextCursor}
          onClick={() => {
            setCursor(d.nextCursor ?? undefined);
            setPageNo((n) => n + 1);
          }}
        >
          Next page »
        </button>
      </div>
    </section>
  );
}
