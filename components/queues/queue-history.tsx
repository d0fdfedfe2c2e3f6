"use client";
/**
 * A queue's history on its page: jobs per minute (added, completed, failed, retried, dead) and
 * processing time p50/p95, over 1 h, 24 h or 7 d (GET /api/v1/queues/{queue}/history), with the
 * cache page's chart cards and range picker. Only complete minutes are drawn.
 */
import { api } from "#components/api-client.ts";
import type { HistoryRange, QueueHistory } from "#components/api-types.ts";
import { ChartCard, ChartGrid } from "#components/charts/chart-card.tsx";
import { meaningSeries } from "#components/charts/palette.ts";
import { RangePicker, useRangeParam } from "#components/charts/range-picker.tsx";
import type { ChartRow } from "#components/charts/time-series-chart.tsx";
import { qk } from "#components/query-keys.ts";
import { ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { LIVE_MS, useLiveQuery } from "#components/use-live-query.ts";
import { HISTORY_RANGE_NAMES } from "#lib/queue/history-types.ts";

/** A new point appears once a step is complete: long ranges need not be read every 1.5 s. */
const REFRESH_MS: Record<HistoryRange, number> = { "1h": LIVE_MS, "24h": 30_000, "7d": 120_000 };

const perMinute = (v: number) => `${v < 10 ? Number(v.toFixed(1)) : Math.round(v)}/min`;
const duration = (ms: number) =>
  ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;

const STEP_TEXT: Record<HistoryRange, string> = {
  "1h": "per minute",
  "24h": "per minute, averaged over 15 minutes",
  "7d": "per minute, averaged over 2 hours",
};

function HistoryCharts({ data }: { data: QueueHistory }) {
  const rows: ChartRow[] = data.points.map((p) => ({ ...p }));
  return (
    <ChartGrid>
      <ChartCard
        title="Jobs per minute"
        question={`What came in and how it ended, ${STEP_TEXT[data.range]} (your time zone; the minute in progress is left out).`}
        empty="jobs"
        testId="chart-queue-jobs"
        ariaLabel="Jobs added, completed, failed, retried and dead per minute"
        data={rows}
        series={meaningSeries([
          ["added", "added"],
          ["completed", "completed"],
          ["failed", "failed", "failed attempts"],
          ["retried", "retried"],
          ["dead", "dead"],
        ])}
        yFormat={perMinute}
        yUnit="jobs per minute"
        yDomain={[0, "auto"]}
      />
      <ChartCard
        title="Processing time"
        question="How long handlers ran before completing: p50 and p95 of each step."
        empty="completed jobs"
        testId="chart-queue-processing"
        ariaLabel="Processing time p50 and p95"
        data={rows}
        series={meaningSeries([
          ["p50Ms", "median", "p50"],
          ["p95Ms", "tail", "p95"],
        ])}
        yFormat={duration}
        yUnit="time per job"
        yDomain={[0, "auto"]}
      />
    </ChartGrid>
  );
}

export function QueueHistorySection({ name }: { name: string }) {
  const range = useRangeParam(HISTORY_RANGE_NAMES);
  const q = useLiveQuery(
    qk.queues.history(name, range),
    (signal) => api.queueHistory(name, range, signal),
    REFRESH_MS[range],
  );
  return (
    <section className="panel" data-testid="queue-history" data-range={range}>
      <h2>History</h2>
      <div style={{ margin: "4px 0 12px" }}>
        <RangePicker ranges={HISTORY_RANGE_NAMES} current={range} />
      </div>
      {q.isPending ? (
        <Loading what="the queue's history" />
      ) : q.data ? (
        <>
          {q.isError ? <StaleNote since={q.dataUpdatedAt} /> : null}
          <HistoryCharts data={q.data} />
        </>
      ) : (
        <ErrorState
          title="The history could not be loaded"
          message={q.error?.message}
          retry={() => q.refetch()}
        />
      )}
    </section>
  );
}
