"use client";
/**
 * One queue on the overview: sizes, jobs/s, failure rate and latency now (flagged past the queue
 * latency alert's threshold), throughput and failure-rate sparklines.
 */
import Link from "next/link";
import type { QueueSummary } from "#components/api-types.ts";
import { SERIES_COLOURS } from "#components/charts/palette.ts";
import { Sparkline } from "#components/charts/sparkline.tsx";
import { formatPercent, formatRate } from "#components/format.ts";
import { PausedBadge } from "./pause-control.tsx";
import { QueueNowFigures } from "./queue-now.tsx";
import { QueueSizesRow } from "./queue-sizes.tsx";

export function failureSeries(q: QueueSummary) {
  return q.series.map((p) => ({
    t: p.t,
    v: p.completed + p.failed ? p.failed / (p.completed + p.failed) : 0,
  }));
}

export function QueueCard({ q, latencyThresholdMs }: { q: QueueSummary; latencyThresholdMs?: number }) {
  return (
    <section className="panel queue-card" data-testid="queue-card" data-queue={q.name}>
      <h2>
        <Link href={`/queues/${encodeURIComponent(q.name)}`}>
          <code>{q.name}</code>
        </Link>
        <PausedBadge paused={q.paused} pausedAt={q.pausedAt} />
        {q.sizes.dead ? (
          <Link className="small" href={`/dead-letters?queue=${encodeURIComponent(q.name)}`}>
            dead letters →
          </Link>
        ) : null}
      </h2>
      <QueueSizesRow sizes={q.sizes} queue={q.name} />
      <QueueNowFigures q={q} latencyThresholdMs={latencyThresholdMs} />
      <div className="sparks">
        <div>
          <div className="spark-label">
            <span>throughput</span>
            <span className="num">{formatRate(q.throughput)}</span>
          </div>
          <Sparkline
            data={q.series.map((p) => ({ t: p.t, v: p.completed }))}
            color={SERIES_COLOURS.completed}
            label={`${q.name} completed per minute`}
            testId="spark-throughput"
          />
        </div>
        <div>
          <div className="spark-label">
            <span>failure rate</span>
            <span className="num">{formatPercent(q.failureRate)}</span>
          </div>
          <Sparkline
            data={failureSeries(q)}
            color={SERIES_COLOURS.failed}
            label={`${q.name} failure rate`}
            format={(v) => formatPercent(v)}
            testId="spark-failure"
          />
        </div>
      </div>
    </section>
  );
}
