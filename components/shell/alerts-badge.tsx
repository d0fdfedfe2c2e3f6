"use client";
/**
 * The firing-alerts badge of the top bar. `AlertsBadge` renders from data (part B may wire its
 * own source); `FiringAlertsBadge` polls /api/v1/alerts?state=firing and reads its answer loosely.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "#components/api-client.ts";
import { qk } from "#components/query-keys.ts";

export interface FiringAlert {
  name: string;
  since?: number;
}

export function AlertsBadge({ alerts }: { alerts: FiringAlert[] | null }) {
  if (alerts === null)
    return (
      <Link
        href="/alerts"
        className="topbar-item muted"
        data-testid="alerts-badge"
        title="Alerts unavailable"
      >
        Alerts —
      </Link>
    );
  const n = alerts.length;
  return (
    <Link
      href="/alerts"
      className={`topbar-item badge ${n ? "badge-dead" : "badge-ok"}`}
      data-testid="alerts-badge"
      data-count={n}
      title={n ? alerts.map((a) => a.name).join(", ") : "No alert is firing"}
    >
      <span aria-hidden="true">{n ? "▲" : "✓"}</span> {n ? `${n} firing` : "No alerts"}
    </Link>
  );
}

/** Accepts `[...]`, `{ alerts: [...] }` or `{ items: [...] }` with `label`/`name`/`id` per alert. */
export function toFiringAlerts(data: unknown): FiringAlert[] {
  const list = Array.isArray(data)
    ? data
    : ((data as { alerts?: unknown[]; items?: unknown[] } | null)?.alerts ??
      (data as { items?: unknown[] } | null)?.items ??
      []);
  return list.map((a) => {
    const o = (a ?? {}) as Record<string, unknown>;
    const name = String(o.label ?? o.name ?? o.id ?? o.metric ?? "alert");
    const since = typeof o.since === "number" ? o.since : undefined;
    return { name, since };
  });
}

export function FiringAlertsBadge() {
  const q = useQuery({ queryKey: qk.alertsFiring, queryFn: ({ signal }) => api.firingAlerts(signal) });
  return <AlertsBadge alerts={q.data === undefined ? null : toFiringAlerts(q.data)} />;
}
