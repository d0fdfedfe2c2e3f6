"use client";
/** The history of alert state changes, newest first, with what the webhook answered. */
import { useQuery } from "@tanstack/react-query";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { Empty, ErrorState, Loading } from "#components/ui/states.tsx";
import t from "#components/ui/table.module.css";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import { newestFirst } from "#components/ui/time-order.ts";
import { alertDefinition, formatAlertValue, isAlertId } from "#lib/alerts/definitions.ts";
import type { AlertHistoryEntry } from "#lib/alerts/types.ts";
import s from "./alerts.module.css";
import { alertKeys, alertsApi } from "./alerts-api.ts";

function WebhookOutcome({ w }: { w: AlertHistoryEntry["webhook"] }) {
  if (!w) return <span className={s.muted}>no webhook</span>;
  if (w.ok) return <span title={w.host}>delivered ({w.status})</span>;
  return (
    <span className={s.stateFiring} title={w.host}>
      failed: {w.error ?? `HTTP ${w.status}`}
    </span>
  );
}

export function AlertHistoryTable() {
  const q = useQuery({ queryKey: alertKeys.history, queryFn: ({ signal }) => alertsApi.history(signal) });
  if (q.isPending) return <Loading what="history" />;
  if (q.isError && !q.data)
    return <ErrorState title="Could not load the history" message={q.error.message} />;
  // newest first by time, not by arrival: concurrent evaluations may push out of order
  const history = newestFirst(
    q.data?.history ?? [],
    (h) => h.at,
    (h) => `${h.id} ${h.to}`,
  );
  if (history.length === 0)
    return <Empty title="No alert has changed state yet">Every firing and every resolve appears here.</Empty>;
  return (
    <TableScroll label="Alert history" framed={false}>
      <table className={t.table} data-testid="alert-history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Alert</th>
            <th scope="col">Change</th>
            <th scope="col" className={t.num}>
              Value
            </th>
            <th scope="col">Threshold</th>
            <th scope="col">Webhook</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => {
            const unit = isAlertId(h.id) ? alertDefinition(h.id).unit : "count";
            return (
              <tr key={`${h.id}-${h.at}-${h.to}`} data-testid="alert-history-row" data-at={h.at}>
                <td>
                  <RelativeTime ms={h.at} />
                </td>
                <td>{h.label}</td>
                <td className={h.to === "firing" ? s.stateFiring : s.stateOk}>
                  <span aria-hidden="true">{h.to === "firing" ? "▲ " : "✓ "}</span>
                  {h.to === "firing" ? "Fired" : "Resolved"}
                </td>
                <td className={t.num}>{formatAlertValue(unit, h.value)}</td>
                <td>
                  {h.comparator} {formatAlertValue(unit, h.threshold)}
                </td>
                <td>
                  <WebhookOutcome w={h.webhook} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
