"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { deleteAction, requeueAction } from "#app/(console)/dead-letters/actions.ts";
import { ApiError, api } from "#components/api-client.ts";
import type { DeadLetter } from "#components/api-types.ts";
import { describeResult } from "#components/dead-letters/outcome.ts";
/**
 * One dead letter: what it is (queue, id, reason, attempts, times), its payload as formatted JSON
 * (masked for viewers on the server), metadata, each attempt's error on a timeline, the progress
 * and log lines its handler reported before it died, its history,
 * and for admins Requeue, Delete and Edit & requeue.
 */
import { RequeueDeleteButtons } from "#components/dead-letters/requeue-delete-buttons.tsx";
import { useMutationAction } from "#components/dead-letters/use-mutation-action.ts";
import { formatCount } from "#components/format.ts";
import { JobReport } from "#components/job-report.tsx";
import { useCanMutate } from "#components/providers.tsx";
import { qk } from "#components/query-keys.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import { MonoId } from "#components/ui/copy-button.tsx";
import { type Fact, FactList } from "#components/ui/fact-list.tsx";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { RecordSections } from "./attempts-timeline.tsx";
import { PayloadEditor } from "./payload-editor.tsx";

function Facts({ d }: { d: DeadLetter }) {
  const rows: Fact[] = [
    ["Queue", <code key="q">{d.queue}</code>],
    ["Id", <MonoId key="id" value={d.id} />],
    [
      "Reason",
      <StateBadge key="r" tone="dead">
        {d.reason}
      </StateBadge>,
    ],
    ["Attempts", `${formatCount(d.attempts)} of ${formatCount(d.maxAttempts)}`],
    ["Error group", <MonoId key="fp" value={d.fingerprint} short={16} />],
    ["Created", <RelativeTime key="c" ms={d.createdAt} />],
    ["First failed", <RelativeTime key="ff" ms={d.firstFailedAt} />],
    ["Last failed", <RelativeTime key="lf" ms={d.lastFailedAt} />],
    ["Dead since", <RelativeTime key="dt" ms={d.deadAt} />],
  ];
  return <FactList rows={rows} />;
}

export function DeadLetterDetail({
  queue,
  id,
  initial,
}: {
  queue: string;
  id: string;
  initial?: DeadLetter;
}) {
  const canMutate = useCanMutate();
  const [done, setDone] = useState<string | null>(null);
  // a requeued job is back in its queue: the page links to it there (a deleted one is gone)
  const [requeued, setRequeued] = useState(false);
  // While an action may take the entry away, it is not refetched (that would only answer 404).
  const [leaving, setLeaving] = useState(false);
  const entry = useQuery({
    queryKey: qk.deadLetters.one(queue, id),
    queryFn: ({ signal }) => api.deadLetter(queue, id, signal),
    initialData: initial,
    enabled: !done && !leaving,
  });
  const requeue = useMutationAction(requeueAction);
  const remove = useMutationAction(deleteAction);
  const busy = requeue.pending || remove.pending || requeue.blocked;

  /** the action waiting for confirmation */
  const [asking, setAsking] = useState<"requeue" | "delete" | null>(null);

  async function act(action: "requeue" | "delete") {
    setLeaving(true);
    const r = await (action === "requeue" ? requeue : remove).run({ scope: "ids", queue, ids: [id] });
    setLeaving(false);
    if (r.ok) {
      setRequeued(action === "requeue" && r.data.mode === "inline" && r.data.done > 0);
      setDone(describeResult(r.data));
    }
  }

  const back = (
    <Link href={`/dead-letters?queue=${encodeURIComponent(queue)}`}>← Dead letters of {queue}</Link>
  );
  if (done)
    return (
      <>
        {back}
        <p className="outcome" role="status" data-testid="action-outcome">
          {done}. This entry has left the dead letters.
        </p>
        {/* where the job went: a requeued job is back in its queue, its page follows it there */}
        <p>
          {requeued ? (
            <>
              <Link
                href={`/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}`}
                data-testid="went-to-job"
              >
                Job {id} in {queue} →
              </Link>{" "}
              ·{" "}
            </>
          ) : null}
          <Link href={`/queues/${encodeURIComponent(queue)}`} data-testid="went-to-queue">
            Queue {queue} →
          </Link>
        </p>
      </>
    );
  if (entry.isPending) return <Loading what="the dead letter" />;
  if (entry.isError && !entry.data) {
    if (entry.error instanceof ApiError && entry.error.status === 404)
      return (
        <>
          {back}
          <Empty title="This dead letter is not here">
            It was requeued, deleted or expired — or the link is wrong.
          </Empty>
        </>
      );
    return (
      <ErrorState
        title="The dead letter could not be loaded"
        message={entry.error.message}
        retry={() => entry.refetch()}
      />
    );
  }
  const d = entry.data as DeadLetter;
  const failure =
    requeue.result?.ok === false
      ? requeue.result.error
      : remove.result?.ok === false
        ? remove.result.error
        : null;
  return (
    <article className="detail" data-testid="dead-letter-detail">
      {back}
      <h1 className="mono-title">
        Dead letter <code>{d.id}</code> of <code>{d.queue}</code>
      </h1>
      {entry.isRefetchError ? <StaleNote since={entry.dataUpdatedAt} /> : null}
      {asking ? (
        <ConfirmDialog
          open
          title={asking === "requeue" ? "Requeue this dead letter?" : "Delete this dead letter?"}
          tone={asking === "delete" ? "danger" : "primary"}
          confirmLabel={asking === "requeue" ? `Requeue ${d.id}` : `Delete ${d.id}`}
          pending={busy}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            await act(asking);
            setAsking(null);
          }}
          returnFocus={() => document.querySelector<HTMLElement>('[data-testid="action-outcome"]')}
        >
          <p>
            {asking === "requeue"
              ? `Requeue dead letter ${d.id} of \`${d.queue}\`: it goes back to the queue to run again, with a fresh attempt budget.`
              : `Delete dead letter ${d.id} of \`${d.queue}\`. It cannot be recovered.`}
          </p>
        </ConfirmDialog>
      ) : null}
      {canMutate ? (
        <div className="actions">
          <RequeueDeleteButtons primary disabled={busy} onAct={setAsking} />
          <PayloadEditor
            queue={d.queue}
            id={d.id}
            payload={d.payload}
            onStart={() => setLeaving(true)}
            onDone={(message) => {
              setLeaving(false);
              if (message) {
                setRequeued(true);
                setDone(message);
              }
            }}
          />
          {failure ? <span className="error-text">{failure}</span> : null}
        </div>
      ) : null}
      <div className="detail-grid">
        <section className="panel">
          <h2>Facts</h2>
          <Facts d={d} />
          <h2>Metadata</h2>
          <pre className="json" data-testid="metadata">
            {JSON.stringify(d.metadata, null, 2)}
          </pre>
        </section>
        <section className="panel">
          <h2>Payload</h2>
          <pre className="json" data-testid="payload">
            {typeof d.payload === "string" && d.reason === "corrupt"
              ? d.payload
              : JSON.stringify(d.payload, null, 2)}
          </pre>
        </section>
      </div>
      <RecordSections
        errors={d.errors}
        maxAttempts={d.maxAttempts}
        history={d.history}
        report={<JobReport report={d.report} />}
      />
    </article>
  );
}
