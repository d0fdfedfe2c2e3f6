"use client";
/**
 * One job wherever it is, live: its state and what that state adds (place in line, lease and
 * consumer, due time, completion record), payload (masked for viewers by the API and the page's
 * server read), metadata, attempts with their errors, what its handler reported (live while
 * active), its history, and for admins the actions that fit its state (./job-actions.tsx).
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import { ApiError, api } from "#components/api-client.ts";
import type { JobActionResult, JobDetail, JobState } from "#components/api-types.ts";
import { RecordSections } from "#components/dead-letters/detail/attempts-timeline.tsx";
import { formatAbsolute, formatCount, formatDuration } from "#components/format.ts";
import { JobReport } from "#components/job-report.tsx";
import { jobsHref } from "#components/nav.ts";
import { useCanMutate } from "#components/providers.tsx";
import { qk } from "#components/query-keys.ts";
import { MonoId } from "#components/ui/copy-button.tsx";
import { type Fact, FactList } from "#components/ui/fact-list.tsx";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { StateBadge, type Tone } from "#components/ui/state-badge.tsx";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { useLiveQuery } from "#components/use-live-query.ts";
import { describeJobResult, JobActions } from "./job-actions.tsx";
import { ConsumerCell, LeaseState } from "./job-tables.tsx";

const TONE: Record<JobState, Tone> = {
  waiting: "neutral",
  active: "ok",
  scheduled: "retry",
  completed: "ok",
  dead: "dead",
};

export function JobStateBadge({ state }: { state: JobState }) {
  return (
    <StateBadge tone={TONE[state]} testId="job-state">
      {state}
    </StateBadge>
  );
}

function stateFacts(j: JobDetail): Fact[] {
  if (j.waiting)
    return [
      [
        "Place in line",
        j.waiting.position === null ? "beyond the first 100,000" : formatCount(j.waiting.position + 1),
      ],
      ["Waited", j.waiting.waitedMs === null ? "—" : formatDuration(j.waiting.waitedMs)],
    ];
  if (j.active)
    return [
      ["Consumer", <ConsumerCell key="c" c={j.active.consumer} />],
      [
        "Started",
        j.active.prefetched ? "prefetched, not started" : <RelativeTime key="s" ms={j.active.startedAt} />,
      ],
      ["Lease expires", <RelativeTime key="l" ms={j.active.leaseExpiresAt} />],
      ["Lease", <LeaseState key="o" row={j.active} />],
    ];
  if (j.scheduled)
    return [
      ["Kind", j.scheduled.kind === "retry" ? "retry after a failed attempt" : "delayed when added"],
      ["Due", <RelativeTime key="d" ms={j.scheduled.dueAt} />],
    ];
  if (j.completed)
    return [
      ["Finished", <RelativeTime key="f" ms={j.completed.finishedAt} />],
      ["Ran for", j.completed.durationMs === null ? "—" : formatDuration(j.completed.durationMs)],
    ];
  if (j.dead)
    return [
      ["Reason", j.dead.reason],
      [
        "Dead since",
        <span key="d" title={formatAbsolute(j.dead.deadAt)}>
          <RelativeTime ms={j.dead.deadAt} />
        </span>,
      ],
    ];
  return [];
}

function Facts({ j }: { j: JobDetail }) {
  const rows: Fact[] = [
    ["Queue", <code key="q">{j.queue}</code>],
    ["Id", <MonoId key="id" value={j.id} />],
    [
      "Attempts",
      j.state === "completed"
        ? formatCount(j.attempts)
        : `${formatCount(j.attempts)} of ${formatCount(j.maxAttempts)}`,
    ],
    ["Added", <RelativeTime key="c" ms={j.createdAt} />],
    ...stateFacts(j),
  ];
  return <FactList rows={rows} testId="job-facts" />;
}

/** Progress and log lines; polled while the job runs, read once otherwise. */
function HandlerReport({ j }: { j: JobDetail }) {
  const live = j.state === "active";
  const logs = useQuery({
    queryKey: qk.jobs.logs(j.queue, j.id),
    queryFn: ({ signal }) => api.jobLogs(j.queue, j.id, signal),
    refetchInterval: live ? 1_500 : false,
    refetchIntervalInBackground: false,
    retry: false,
  });
  if (j.state === "completed")
    return (
      <p className="muted">A completed job keeps only its record; its progress and log lines are gone.</p>
    );
  if (logs.isPending) return <Loading what="the handler's report" />;
  if (logs.isError && !logs.data)
    return <p className="muted">The handler's report could not be read: {logs.error.message}</p>;
  const d = logs.data;
  return (
    <>
      <JobReport report={{ progress: d.progress, lines: d.lines, total: d.total }} />
      {d.more ? <p className="muted">More lines follow: GET …/logs?cursor={d.next} reads them.</p> : null}
    </>
  );
}

function Payload({ j }: { j: JobDetail }) {
  if (j.payload === undefined)
    return (
      <p className="muted" data-testid="payload">
        Not kept: a completed job keeps its payload only with COMPLETED_KEEP_PAYLOAD=true, so it cannot be
        requeued.
      </p>
    );
  return (
    <pre className="json" data-testid="payload">
      {typeof j.payload === "string" ? j.payload : JSON.stringify(j.payload, null, 2)}
    </pre>
  );
}

export function JobDetailView({ queue, id, initial }: { queue: string; id: string; initial?: JobDetail }) {
  const canMutate = useCanMutate();
  const [outcome, setOutcome] = useState<ActionResult<JobActionResult> | null>(null);
  const deleted = outcome?.ok === true && outcome.data.state === "deleted";
  const job = useLiveQuery(
    qk.jobs.one(queue, id),
    (signal) => api.job(queue, id, signal),
    deleted ? 0 : undefined,
  );
  const back = <Link href={jobsHref(queue, "waiting")}>← Jobs of {queue}</Link>;
  const said = outcome ? (
    <p className={outcome.ok ? "outcome" : "outcome error-text"} role="status" data-testid="action-outcome">
      {outcome.ok ? describeJobResult(outcome.data) : outcome.error}
    </p>
  ) : null;
  if (deleted)
    return (
      <>
        {back}
        {said}
      </>
    );
  if (job.isPending && !initial) return <Loading what="the job" />;
  const data = job.data ?? initial;
  if (!data) {
    if (job.error instanceof ApiError && job.error.status === 404)
      return (
        <>
          {back}
          <Empty title={`No job ${id} in queue ${queue}`}>
            No state has it: it may have been deleted, or completed and expired — or the link is wrong.
          </Empty>
        </>
      );
    return (
      <ErrorState
        title="The job could not be loaded"
        message={job.error?.message}
        retry={() => job.refetch()}
      />
    );
  }
  const j = data;
  const gone = job.error instanceof ApiError && job.error.status === 404;
  return (
    <article className="detail" data-testid="job-detail" data-state={j.state}>
      <Link href={jobsHref(queue, j.state)}>
        ← {j.state === "dead" ? "Dead letters" : `${j.state} jobs`} of {queue}
      </Link>
      <h1 className="mono-title">
        Job <code>{j.id}</code> of <code>{j.queue}</code> <JobStateBadge state={j.state} />
      </h1>
      {gone ? (
        <p className="stale-note" role="status">
          This job is no longer in the queue (deleted, or completed and expired); showing what was last seen.
        </p>
      ) : job.isRefetchError ? (
        <StaleNote since={job.dataUpdatedAt} />
      ) : null}
      {said}
      {canMutate && !gone ? <JobActions job={j} onDone={setOutcome} /> : null}
      {j.state === "dead" ? (
        <p>
          <Link
            href={`/dead-letters/${encodeURIComponent(j.queue)}/${encodeURIComponent(j.id)}`}
            data-testid="dead-letter-link"
          >
            Open it on the dead-letter page
          </Link>{" "}
          to requeue, edit or delete it.
        </p>
      ) : null}
      <div className="detail-grid">
        <section className="panel">
          <h2>Facts</h2>
          <Facts j={j} />
          <h2>Metadata</h2>
          <pre className="json" data-testid="metadata">
            {JSON.stringify(j.metadata, null, 2)}
          </pre>
        </section>
        <section className="panel">
          <h2>Payload</h2>
          <Payload j={j} />
        </section>
      </div>
      <RecordSections
        errors={j.errors}
        maxAttempts={j.maxAttempts}
        history={j.history}
        report={<HandlerReport j={j} />}
        noErrors={<p className="muted">No attempt has failed.</p>}
      />
    </article>
  );
}
