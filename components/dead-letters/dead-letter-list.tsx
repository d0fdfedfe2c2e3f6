"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { deleteAction, requeueAction } from "#app/(console)/dead-letters/actions.ts";
import { api } from "#components/api-client.ts";
import type { DeadLetterPage, DeadLetterSummary, MutationResult } from "#components/api-types.ts";
import { formatCount } from "#components/format.ts";
import { useCanMutate } from "#components/providers.tsx";
import { qk } from "#components/query-keys.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { BulkPanel } from "./bulk-panel.tsx";
import { DeadLetterTable, rowKey } from "./dead-letter-table.tsx";
import { type DeadLetterView, filtersOf, PAGE_SIZES, viewSearch } from "./filters.ts";
import { describeOutcome } from "./outcome.ts";
/**
 * The list tab: one server-side page of dead letters (cursor pagination), the selection and its
 * actions, and the bulk actions over everything matching the filters. Polls while open and keeps
 * the last page on screen if a refresh fails.
 */
import { RequeueDeleteButtons } from "./requeue-delete-buttons.tsx";
import { useMutationAction } from "./use-mutation-action.ts";

/** The page of rows the server read for the view in the URL (`search`), and when. */
export interface FirstPage {
  search: string;
  page: DeadLetterPage;
  at: number;
}

interface Asking {
  action: "requeue" | "delete";
  keys: string[];
  /** what the action touches, in words: "dead letter 493 of `documents`" */
  what: string;
}

/** "Requeue dead letter 493 of `documents`: it goes back to its queue …" */
function confirmSentence({ action, keys, what }: Asking): string {
  const one = keys.length === 1;
  return action === "requeue"
    ? `Requeue ${what}: ${one ? "it goes" : "each goes"} back to its queue to run again, with a fresh attempt budget.`
    : `Delete ${what}. ${one ? "It" : "They"} cannot be recovered.`;
}

function byQueue(keys: string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const k of keys) {
    const [queue, id] = k.split("\u0000");
    m.set(queue, [...(m.get(queue) ?? []), id]);
  }
  return m;
}

export function DeadLetterList({
  view,
  update,
  initial,
}: {
  view: DeadLetterView;
  update: (p: Partial<DeadLetterView>) => void;
  /** rows in the server's HTML: the first paint needs no fetch (only for the view they were read for) */
  initial?: FirstPage;
}) {
  const canMutate = useCanMutate();
  const first = initial?.search === viewSearch(view) ? initial : undefined;
  const page = useQuery({
    queryKey: qk.deadLetters.list(view),
    queryFn: ({ signal }) => api.deadLetters(view, signal),
    placeholderData: keepPreviousData,
    initialData: () => first?.page,
    initialDataUpdatedAt: () => first?.at,
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  const requeue = useMutationAction(requeueAction);
  const remove = useMutationAction(deleteAction);
  const busy = requeue.pending || remove.pending || requeue.blocked;

  // A selection belongs to one page of one filter.
  const pageKey = JSON.stringify(view);
  const [selectionOf, setSelectionOf] = useState(pageKey);
  if (selectionOf !== pageKey) {
    setSelectionOf(pageKey);
    setSelected(new Set());
  }

  async function run(action: "requeue" | "delete", keys: string[]) {
    const fn = action === "requeue" ? requeue : remove;
    let done = 0;
    let gone = 0;
    for (const [queue, ids] of byQueue(keys)) {
      const r = await fn.run({ scope: "ids", queue, ids });
      if (!r.ok) return setMessage(r.error);
      const d = r.data as MutationResult;
      if (d.mode === "inline") {
        done += d.done;
        gone += d.gone;
      }
    }
    setSelected(new Set());
    setMessage(describeOutcome(action, done, gone));
  }

  /** the action waiting for confirmation (one dialog for a row and for the selection) */
  const [asking, setAsking] = useState<Asking | null>(null);

  function onRow(action: "requeue" | "delete", row: DeadLetterSummary) {
    setAsking({ action, keys: [rowKey(row)], what: `dead letter ${row.id} of \`${row.queue}\`` });
  }

  function onSelection(action: "requeue" | "delete") {
    const keys = [...selected];
    const queues = new Set(keys.map((k) => k.split("\u0000")[0]));
    const of = queues.size === 1 ? ` of \`${[...queues][0]}\`` : ` of ${formatCount(queues.size)} queues`;
    setAsking({
      action,
      keys,
      what: `${formatCount(keys.length)} selected dead letter${keys.length === 1 ? "" : "s"}${of}`,
    });
  }

  const rows = page.data?.items ?? [];
  // a text search that stopped at its read budget: never "nothing matches", always "go on"
  const stopped = page.data && !page.data.complete ? page.data : null;
  const continueSearch = () => update({ cursor: stopped?.nextCursor ?? undefined });
  // the first page, complete and empty: nothing matches (a stopped search has not ruled matches out)
  const nothingMatches =
    page.isSuccess && !view.cursor && rows.length === 0 && !page.data.nextCursor && !stopped;
  return (
    <>
      {/* a stopped search has not ruled matches out: the bulk actions count before they act */}
      {canMutate ? (
        <BulkPanel
          filters={filtersOf(view)}
          disabled={busy || (!rows.length && !stopped)}
          nothingMatches={nothingMatches}
        />
      ) : null}
      {message ? (
        <p className="outcome" role="status" data-testid="action-outcome">
          {message}
        </p>
      ) : null}
      {asking ? (
        <ConfirmDialog
          open
          title={asking.action === "requeue" ? "Requeue dead letters?" : "Delete dead letters?"}
          tone={asking.action === "delete" ? "danger" : "primary"}
          confirmLabel={`${asking.action === "requeue" ? "Requeue" : "Delete"} ${formatCount(asking.keys.length)}`}
          pending={busy}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            await run(asking.action, asking.keys);
            setAsking(null);
          }}
          returnFocus={() => document.querySelector<HTMLElement>('[data-testid="action-outcome"]')}
        >
          <p>{confirmSentence(asking)}</p>
        </ConfirmDialog>
      ) : null}
      {canMutate && selected.size > 0 ? (
        <div className="selection-bar" data-testid="selection-bar">
          <span>{formatCount(selected.size)} selected</span>
          <RequeueDeleteButtons
            labels={["Requeue selected", "Delete selected"]}
            disabled={busy}
            onAct={onSelection}
          />
          <button type="button" className="btn btn-quiet" onClick={() => setSelected(new Set())}>
            Clear
          </button>
        </div>
      ) : null}
      {page.isPending ? (
        <Loading what="dead letters" />
      ) : page.isError && !page.data ? (
        <ErrorState
          title="Dead letters could not be loaded"
          message={page.error.message}
          retry={() => page.refetch()}
        />
      ) : stopped && rows.length === 0 ? (
        <SearchStopped page={stopped} found={0} onContinue={continueSearch} />
      ) : rows.length === 0 ? (
        <Empty title={view.cursor ? "No more dead letters" : "No dead letters"}>
          {Object.keys(filtersOf(view)).length
            ? "Nothing matches these filters. Widen the time range or clear the search."
            : "Every job either succeeded or is still being retried. Jobs land here after their last attempt fails."}
        </Empty>
      ) : (
        <>
          {page.isRefetchError ? <StaleNote since={page.dataUpdatedAt} /> : null}
          {stopped ? <SearchStopped page={stopped} found={rows.length} onContinue={continueSearch} /> : null}
          <DeadLetterTable
            rows={rows}
            selected={selected}
            canMutate={canMutate}
            showQueue={!view.queue}
            busy={busy}
            onRow={onRow}
            onToggle={(k) =>
              setSelected((s) => {
                const n = new Set(s);
                if (n.has(k)) n.delete(k);
                else n.add(k);
                return n;
              })
            }
            onToggleAll={(checked) => setSelected(checked ? new Set(rows.map(rowKey)) : new Set())}
          />
        </>
      )}
      <div className="pager">
        <button
          type="button"
          className="btn btn-quiet"
          disabled={!view.cursor}
          onClick={() => update({ cursor: undefined })}
        >
          « First page
        </button>
        {stopped ? null : (
          <button
            type="button"
            className="btn btn-quiet"
            data-testid="next-page"
            disabled={!page.data?.nextCursor}
            onClick={() => update({ cursor: page.data?.nextCursor ?? undefined })}
          >
            Next page »
          </button>
        )}
        <label>
          Per page{" "}
          <select value={view.limit} onChange={(e) => update({ limit: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
    </>
  );
}

/** "Searched 2,000 of 1,000,000 dead letters — no match yet" and a Continue button with the cursor. */
function SearchStopped({
  page,
  found,
  onContinue,
}: {
  page: { searched: number; total: number; nextCursor: string | null };
  found: number;
  onContinue: () => void;
}) {
  return (
    <div className="panel search-stopped" role="status" data-testid="search-stopped">
      <p>
        Searched <strong data-testid="search-searched">{formatCount(page.searched)}</strong> of{" "}
        <strong data-testid="search-total">{formatCount(page.total)}</strong> dead letters
        {found ? `: ${formatCount(found)} found so far` : ": no match yet"}. The search stops after a bounded
        number of entries per request; continue to search the next ones.
      </p>
      {page.nextCursor ? (
        <button type="button" className="btn" data-testid="search-continue" onClick={onContinue}>
          Continue searching »
        </button>
      ) : null}
    </div>
  );
}
