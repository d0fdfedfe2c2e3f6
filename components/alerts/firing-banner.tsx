"use client";
/**
 * A strip under the top bar naming every firing alert and since when, on every page — for the
 * shell (app/(console)/layout.tsx) to mount next to the Redis banner. Renders nothing when all is
 * OK or while the answer is unknown. Shares the top bar badge's query (qk.alertsFiring).
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "#components/api-client.ts";
import { qk } from "#components/query-keys.ts";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { formatAlertValue } from "#lib/alerts/definitions.ts";
import s from "./alerts.module.css";
import type { AlertsResponse } from "./alerts-api.ts";

export function FiringAlertsBanner() {
  const q = useQuery({ queryKey: qk.alertsFiring, queryFn: ({ signal }) => api.firingAlerts(signal) });
  const alerts = (q.data as AlertsResponse | undefined)?.alerts?.filter((a) => a.state === "firing") ?? [];
  if (alerts.length === 0) return null;
  return (
    <div className={s.banner} role="status" data-testid="firing-alerts-banner">
      <strong>
        <span aria-hidden="true">▲</span>{" "}
        {alerts.length === 1 ? "1 alert firing" : `${alerts.length} alerts firing`}:
      </strong>
      {alerts.map((a) => (
        <span key={a.id} data-testid={`firing-${a.id}`}>
          {a.label} {formatAlertValue(a.unit, a.value)} ({a.comparator}{" "}
          {formatAlertValue(a.unit, a.threshold)})
          {a.since ? (
            <>
              {" "}
              since <RelativeTime ms={a.since} />
            </>
          ) : null}
        </span>
      ))}
      <Link href="/alerts">See alerts</Link>
    </div>
  );
}
