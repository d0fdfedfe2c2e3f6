"use client";
/**
 * A queue's figures "now", on the overview cards and the queue page: jobs/s over the last complete
 * minute, failure rate over the window, latency (how long the job next in line has waited since
 * it became ready; flagged past the queue latency alert's threshold) and the oldest dead letter.
 */
import type { QueueSummary } from "#components/api-types.ts";
import { formatDuration, formatPercent } from "#components/format.ts";

const perSecond = (v: number | null) =>
  v === null ? "—" : `${v >= 10 ? Math.round(v) : Number(v.toFixed(2))}/s`;

export function QueueNowFigures({ q, latencyThresholdMs }: { q: QueueSummary; latencyThresholdMs?: number }) {
  const late = latencyThresholdMs !== undefined && q.latencyMs !== null && q.latencyMs > latencyThresholdMs;
  return (
    <dl className="now-figures">
      <div>
        <dt>jobs/s (last minute)</dt>
        <dd className="num" data-testid="queue-jobs-per-second">
          {perSecond(q.jobsPerSecond)}
        </dd>
      </div>
      <div>
        <dt>failure rate</dt>
        <dd className="num">{formatPercent(q.failureRate)}</dd>
      </div>
      <div>
        <dt>latency</dt>
        <dd
          className={late ? "num count-dead" : "num"}
          data-testid="queue-latency"
          data-late={late ? "true" : "false"}
          title="How long the job next in line has waited since it became ready to run"
        >
          {q.latencyMs === null ? "none waiting" : formatDuration(q.latencyMs, Math.round)}
          {late ? " ⚠" : ""}
        </dd>
      </div>
      {q.oldestDeadAgeMs ? (
        <div>
          <dt>oldest dead letter</dt>
          <dd className="num">{formatDuration(q.oldestDeadAgeMs)}</dd>
        </div>
      ) : null}
    </dl>
  );
}
