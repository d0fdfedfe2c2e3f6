"use client";
/**
 * The alerts page: the thresholds with their current value and state (refreshed live),
 * editable inline by admins, then the webhook setting and the history of state changes.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import { ApiError } from "#components/api-client.ts";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import t from "#components/ui/table.module.css";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import { formatAlertValue } from "#lib/alerts/definitions.ts";
import type { AlertStatus } from "#lib/alerts/types.ts";
import { AlertHistoryTable } from "./alert-history.tsx";
import { AlertStateLabel } from "./alert-state.tsx";
import s from "./alerts.module.css";
import { alertKeys, alertsApi } from "./alerts-api.ts";
import {
  type ResetThreshold,
  type SaveThresholds,
  ThresholdInput,
  ThresholdsSave,
  useThresholdDrafts,
} from "./threshold-editor.tsx";
import { WebhookForm, type WebhookFormProps } from "./webhook-form.tsx";

export interface AlertsViewProps {
  /** Present for admins only: viewers get no editing controls at all. */
  admin?: {
    saveThresholds: SaveThresholds;
    resetThreshold: ResetThreshold;
    webhook: WebhookFormProps;
  };
}

function useAfterChange<I, T>(fn: ((input: I) => Promise<ActionResult<T>>) | undefined) {
  const client = useQueryClient();
  const [pending, setPending] = useState(false);
  const run = useCallback(
    async (input: I): Promise<ActionResult<T>> => {
      if (!fn) return { ok: false, error: "This needs the admin role", status: 403 };
      setPending(true);
      try {
        return await fn(input);
      } catch {
        return { ok: false, error: "The console server is unreachable; nothing was changed", status: 0 };
      } finally {
        setPending(false);
        await client.invalidateQueries({ queryKey: alertKeys.all });
      }
    },
    [fn, client],
  );
  return { run, pending };
}

function ThresholdText({ a }: { a: AlertStatus }) {
  return (
    <span>
      {a.comparator} {formatAlertValue(a.unit, a.threshold)}
      {a.overridden ? (
        <span className={s.muted}> (default {formatAlertValue(a.unit, a.defaultThreshold)})</span>
      ) : null}
    </span>
  );
}

export function AlertsView({ admin }: AlertsViewProps) {
  const list = useQuery({ queryKey: alertKeys.list, queryFn: ({ signal }) => alertsApi.list(signal) });
  const set = useAfterChange(admin?.saveThresholds);
  const reset = useAfterChange(admin?.resetThreshold);
  const drafts = useThresholdDrafts(list.data?.alerts ?? [], set.run);

  if (list.isPending) return <Loading what="alerts" />;
  if (list.isError && !list.data) {
    const redisDown = list.error instanceof ApiError && list.error.redisDown;
    return (
      <ErrorState
        title={redisDown ? "Redis is unreachable" : "Could not load the alerts"}
        message={redisDown ? "The alerts come back by themselves when Redis does." : list.error.message}
        retry={() => list.refetch()}
      />
    );
  }
  const alerts = list.data?.alerts ?? [];
  const firing = alerts.filter((a) => a.state === "firing").length;

  return (
    <>
      {list.isError ? <StaleNote since={list.dataUpdatedAt} /> : null}
      <p className={s.hint} data-testid="alerts-summary">
        {firing ? `${firing} of ${alerts.length} alerts firing.` : `All ${alerts.length} alerts OK.`} Values
        are refreshed every {Math.round((list.data?.intervalMs ?? 15_000) / 1000)} s (last:{" "}
        <RelativeTime ms={list.data?.evaluatedAt} />
        ); rates cover the last {list.data?.windowMinutes ?? 15} minutes. A rate without traffic has no data
        and never fires.
      </p>
      <TableScroll label="Alert thresholds" framed={false}>
        <table className={t.table} data-testid="alerts-table">
          <thead>
            <tr>
              <th scope="col">Alert</th>
              <th scope="col" className={t.num}>
                Current value
              </th>
              <th scope="col">Threshold</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr
                key={a.id}
                className={a.state === "firing" ? s.firingRow : undefined}
                data-testid={`alert-row-${a.id}`}
                data-state={a.state}
              >
                <td>
                  <strong>{a.label}</strong>
                  <div className={s.measures}>{a.measures}</div>
                </td>
                <td className={t.num} data-testid={`alert-value-${a.id}`}>
                  {formatAlertValue(a.unit, a.value)}
                </td>
                <td>
                  {admin ? (
                    <ThresholdInput
                      alert={a}
                      text={drafts.textOf(a)}
                      serverError={drafts.errors[a.id]}
                      onChange={(text) => drafts.edit(a.id, text)}
                      onReset={reset.run}
                      pending={set.pending || reset.pending}
                    />
                  ) : (
                    <ThresholdText a={a} />
                  )}
                </td>
                <td>
                  <AlertStateLabel state={a.state} since={a.since} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {admin ? <ThresholdsSave drafts={drafts} pending={set.pending || reset.pending} /> : null}

      {admin ? (
        <section className={s.section}>
          <h2>Webhook</h2>
          <WebhookForm {...admin.webhook} />
        </section>
      ) : null}

      <section className={s.section}>
        <h2>History</h2>
        <AlertHistoryTable />
      </section>
    </>
  );
}
