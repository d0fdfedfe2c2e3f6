"use client";
/** One queue: its sizes and a per-minute chart of added, completed, failed and dead-lettered jobs. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ApiError, api } from "#components/api-client.ts";
import { formatDuration, formatPercent, formatRate } from "#components/format.ts";
import { qk } from "#components/query-keys.ts";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { type PauseActions, PauseControl, PausedBadge } from "./pause-control.tsx";
import { QueueSizesRow } from "./queue-sizes.tsx";

const minute = (t: number) => new Date(t).toISOString().slice(11, 16);

/** `pauseActions`: present for admins only. */
export function QueueDetail({ name, pauseActions }: { name: string; pauseActions?: PauseActions }) {
  const q = useQuery({ queryKey: qk.queues.one(name), queryFn: ({ signal }) => api.queue(name, signal) });
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
        <p>
          Completed {formatRate(d.throughput)} · failure rate {formatPercent(d.failureRate)}
          {d.oldestDeadAgeMs ? ` · oldest dead letter ${formatDuration(d.oldestDeadAgeMs)} old` : ""} ·{" "}
          <Link href={`/dead-letters?queue=${encodeURIComponent(d.name)}`}>dead letters →</Link>
        </p>
      </section>
      <section className="panel">
        <h2>Jobs per minute</h2>
        {d.series.length < 2 ? (
          <p className="muted">Not enough traffic yet to draw a line.</p>
        ) : (
          <ResponsiveContainer width="100%" height={280}>
            <LineChart data={d.series}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="t" tickFormatter={minute} minTickGap={30} />
              <YAxis allowDecimals={false} width={48} />
              <Tooltip labelFormatter={(t) => minute(Number(t))} />
              <Legend />
              <Line dataKey="added" stroke="var(--accent)" dot={false} isAnimationActive={false} />
              <Line dataKey="completed" stroke="var(--ok)" dot={false} isAnimationActive={false} />
              <Line
                dataKey="failed"
                stroke="var(--retry)"
                strokeDasharray="4 2"
                dot={false}
                isAnimationActive={false}
              />
              <Line
                dataKey="dead"
                stroke="var(--dead)"
                strokeDasharray="1 2"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        )}
      </section>
    </div>
  );
}
