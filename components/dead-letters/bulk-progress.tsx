"use client";
/**
 * Live progress of a bulk requeue or delete: a bar, counts, Cancel, and what happened at the end.
 * A canary redrive also shows its phase (canary → waiting → rest), its verdict, and the jobs that
 * failed again, each linked to its dead letter.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { cancelBulkAction } from "#app/(console)/dead-letters/actions.ts";
import { api } from "#components/api-client.ts";
import type { BulkProgress } from "#components/api-types.ts";
import { formatCount } from "#components/format.ts";
import { FAST_POLL_MS, qk } from "#components/query-keys.ts";
import { describeBulk, describeCanary } from "./outcome.ts";
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
          {p.canary ? <CanaryStatus canary={p.canary} phase={p.phase} /> : null}
          {!running ? (
            <p className={`outcome ${p.state === "done" ? "" : "outcome-warn"}`} data-testid="bulk-outcome">
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

const PHASES = {
  canary: "requeueing the canary",
  waiting: "waiting for the canary",
  rest: "requeueing the rest",
};

function CanaryStatus({
  canary,
  phase,
}: {
  canary: NonNullable<BulkProgress["canary"]>;
  phase?: BulkProgress["phase"];
}) {
  return (
    <div data-testid="canary-status" data-verdict={canary.verdict ?? "waiting"} data-phase={phase ?? ""}>
      <p className={canary.verdict === "fail" || canary.verdict === "undecided" ? "error-text" : undefined}>
        {phase && canary.verdict === null ? `Phase: ${PHASES[phase]}. ` : ""}
        {describeCanary(canary)}
      </p>
      {canary.failed.length ? (
        <>
          <p className="small">Failed again:</p>
          <ul className="canary-failed" data-testid="canary-failed">
            {canary.failed.map((f) => (
              <li key={`${f.queue}/${f.id}`}>
                <Link href={`/dead-letters/${encodeURIComponent(f.queue)}/${encodeURIComponent(f.id)}`}>
                  {f.queue} / {f.id}
                </Link>{" "}
                ({f.state === "dead" ? "back in the DLQ" : "waiting for a retry"})
                {f.error ? (
                  <>
                    : <strong>{f.error.name}</strong> {f.error.message}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
