"use client";
/** One queue, live: its sizes, rates and latency, and its history charts (queue-history.tsx). */
import Link from "next/link";
import { ApiError, api } from "#components/api-client.ts";
import { qk } from "#components/query-keys.ts";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { useLiveQuery } from "#components/use-live-query.ts";
import { type PauseActions, PauseControl, PausedBadge } from "./pause-control.tsx";
import { QueueHistorySection } from "./queue-history.tsx";
import { QueueNowFigures } from "./queue-now.tsx";
import { QueueSizesRow } from "./queue-sizes.tsx";

/** `pauseActions`: present for admins only. */
export function QueueDetail({ name, pauseActions }: { name: string; pauseActions?: PauseActions }) {
  const q = useLiveQuery(qk.queues.one(name), (signal) => api.queue(name, signal));
  if (q.isPending) return <Loading what={`queue ${name}`} />;
  if (q.isError && !q.data) {
    if (q.error instanceof ApiError && q.error.status === 404)
      return (
        <Empty title={`No queue named ${name}`}>Queues appear once a producer adds a job to them.</Empty>
      );
    return (
      <ErrorState title="The queue could not be loaded" message={q.error.message} retry={() => q.refetch()} />
    );
  }
  const d = q.data;
  return (
    <div data-testid="queue-detail">
      {q.isRefetchError ? <StaleNote since={q.dataUpdatedAt} /> : null}
      <section className="panel">
        <div className="queue-state">
          <PausedBadge paused={d.paused} pausedAt={d.pausedAt} />
          {pauseActions ? <PauseControl queue={d.name} paused={d.paused} actions={pauseActions} /> : null}
        </div>
        <QueueSizesRow sizes={d.sizes} queue={d.name} />
        <QueueNowFigures q={d} />
        <p>
          <Link href={`/dead-letters?queue=${encodeURIComponent(d.name)}`}>dead letters →</Link>
        </p>
      </section>
      <QueueHistorySection name={name} />
    </div>
  );
}
