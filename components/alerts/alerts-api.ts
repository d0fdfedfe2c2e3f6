/**
 * The alerts and cache pages' reads, through the console's one API client (components/api-client.ts),
 * and their React Query keys. Everything under ["alerts"] includes the top bar's firing badge
 * (qk.alertsFiring), so invalidating it after a change refreshes the badge too.
 */

import { getJson } from "#components/api-client.ts";
import type { AlertHistoryEntry, AlertStatus } from "#lib/alerts/types.ts";

export interface AlertsResponse {
  alerts: AlertStatus[];
  evaluatedAt: number | null;
  /** the window rates are measured over, and how often the values are refreshed */
  windowMinutes: number;
  intervalMs: number;
}

export const alertKeys = {
  all: ["alerts"] as const,
  list: ["alerts", "all"] as const,
  history: ["alerts", "history"] as const,
};

export const alertsApi = {
  list: (signal?: AbortSignal) => getJson<AlertsResponse>("/api/v1/alerts", { state: "all" }, signal),
  firing: (signal?: AbortSignal) => getJson<AlertsResponse>("/api/v1/alerts", { state: "firing" }, signal),
  history: (signal?: AbortSignal) =>
    getJson<{ history: AlertHistoryEntry[] }>("/api/v1/alerts/history", { limit: 100 }, signal),
};
