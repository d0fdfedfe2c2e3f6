"use client";
/**
 * The overview: at a glance, is anything wrong? Firing alerts, the retry worker's heartbeat, and
 * each queue's sizes, jobs/s, failure rate and latency with sparklines, live (use-live-query.ts).
 */
import Link from "next/link";
import { api } from "#components/api-client.ts";
import { formatCount, formatCountOf } from "#components/format.ts";
import { qk } from "#components/query-keys.ts";
import { QueueCard } from "#components/queues/queue-card.tsx";
import { toFiringAlerts } from "#components/shell/alerts-badge.tsx";
import { heartbeatTone } from "#components/shell/worker-heartbeat.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { useHydrated } from "#components/use-hydrated.ts";
import { useLiveQuery } from "#components/use-live-query.ts";

/**
 * Whether any alert fires. The firing alerts themselves are named once, in the banner every page
 * shows under the top bar (components/alerts/firing-banner.tsx): this panel does not repeat them.
 */
function AlertsPanel() {
  const q = useLiveQuery(qk.alertsFiring, (signal) => api.firingAlerts(signal));
  // The top bar's alert badge shares this query: its data may be cached before this hydrates.
  const hydrated = useHydrated();
  const alerts = q.data === undefined || !hydrated ? null : toFiringAlerts(q.data);
  return (
    <section className="panel" data-testid="overview-alerts">
      <h2>Alerts</h2>
      {alerts === null ? (
        <p className="muted">{q.isError ? "Alerts are unavailable right now." : "Loading…"}</p>
      ) : alerts.length === 0 ? (
        <StateBadge tone="ok">No alert is firing</StateBadge>
      ) : (
        <p>
          <StateBadge tone="dead">
            {alerts.length === 1 ? "1 alert firing" : `${formatCount(alerts.length)} alerts firing`}
          </StateBadge>{" "}
          <span className="small muted">named in the banner above</span>
        </p>
      )}
      <p className="small">
        <Link href="/alerts">All alerts and thresholds →</Link>
      </p>
    </section>
  );
}

export function OverviewView() {
  const q = useLiveQuery(qk.queues.all, (signal) => api.queues(signal));
  const beat = heartbeatTone(q.data?.workers, q.dataUpdatedAt || Date.now());
  const totals = (q.data?.queues ?? []).reduce(
    (t, x) => ({ dead: t.dead + x.sizes.dead, retry: t.retry + x.sizes.retry }),
    { dead: 0, retry: 0 },
  );
  return (
    <>
      <div className="cards">
        <AlertsPanel />
        <section className="panel" data-testid="overview-worker">
          <h2>Retry worker</h2>
          <StateBadge tone={beat.tone}>{beat.text}</StateBadge>
          <p className="small muted">
            {q.data ? `${formatCountOf(q.data.workers.length, "worker")} reporting` : ""}
          </p>
        </section>
        <section className="panel">
          <h2>All queues</h2>
          <p>
            <span className="count-dead num">✕ {formatCount(totals.dead)}</span> dead ·{" "}
            <span className="count-retry num">↻ {formatCount(totals.retry)}</span> waiting to retry
          </p>
          <Link href="/dead-letters">Browse dead letters →</Link>
        </section>
      </div>
      <h2>Queues</h2>
      {q.isPending ? (
        <Loading what="queues" />
      ) : q.isError && !q.data ? (
        <ErrorState title="Queues could not be loaded" message={q.error.message} retry={() => q.refetch()} />
      ) : q.data.queues.length === 0 ? (
        <Empty title="No queues yet">A queue appears here as soon as a producer adds its first job.</Empty>
      ) : (
        <>
          {q.isRefetchError ? <StaleNote since={q.dataUpdatedAt} /> : null}
          <p className="small muted">Sparklines: the last {q.data.windowMinutes} minutes, per minute.</p>
          <div className="cards queue-cards" data-testid="queue-cards">
            {q.data.queues.map((x) => (
              <QueueCard key={x.name} q={x} latencyThresholdMs={q.data.latencyThresholdMs} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
