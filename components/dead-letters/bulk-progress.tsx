"use client";
/** Live progress of a bulk requeue or delete: a bar, counts, Cancel, and what happened at the end. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { cancelBulkAction } from "#app/(console)/dead-letters/actions.ts";
import { api } from "#components/api-client.ts";
import { formatCount } from "#components/format.ts";
import { FAST_POLL_MS, qk } from "#components/query-keys.ts";
import { describeBulk } from "./outcome.ts";
import { useMutationAction } from "./use-mutation-action.ts";

export function BulkProgressView({ id, onClose }: { id: string; onClose: () => void }) {
  const client = useQueryClient();
  const progress = useQuery({
    queryKey: qk.bulk(id),
    queryFn: ({ signal }) => api.bulk(id, signal),
    refetchInterval: (q) => (q.state.data && q.state.data.state !== "running" ? false : FAST_POLL_MS),
  });
  const cancel = useMutationAction(cancelBulkAction);
  const p = progress.data;
  const running = !p || p.state === "running";

  useEffect(() => {
    if (!running) {
      client.invalidateQueries({ queryKey: qk.deadLetters.all });
      client.invalidateQueries({ queryKey: qk.queues.all });
    }
  }, [running, client]);

  return (
    <div className="panel bulk-progress" data-testid="bulk-progress" data-state={p?.state ?? "starting"}>
      {p ? (
        <>
          <h2>
            Bulk {p.action}
            {running ? " — in progress" : p.state === "done" ? " — done" : ` — ${p.state}`}
          </h2>
          <progress
            max={Math.max(p.total ?? p.processed, 1)}
            value={p.processed}
            aria-label={`${p.action} progress`}
          />
          <p className="num-line" data-testid="bulk-counts">
            {formatCount(p.processed)} of {p.total === null ? "…" : formatCount(p.total)} processed
            {running ? " …" : ""}
          </p>
          {!running ? (
            <p className="outcome" data-testid="bulk-outcome">
              {describeBulk(p)}
            </p>
          ) : null}
        </>
      ) : progress.error ? (
        <p className="error-text">Progress unavailable: {(progress.error as Error).message}</p>
      ) : (
        <p>Starting…</p>
      )}
      <div className="actions">
        {running ? (
          <button
            type="button"
            className="btn btn-danger"
            data-testid="bulk-cancel"
            disabled={cancel.pending}
            onClick={() => cancel.run({ id })}
          >
            Cancel
          </button>
        ) : (
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        )}
        {cancel.result && !cancel.result.ok ? (
          <span className="error-text">{cancel.result.error}</span>
        ) : null}
      </div>
    </div>
  );
}
