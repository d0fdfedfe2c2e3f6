/** The cache page's reads through the console's API client, and their React Query keys. */

import { getJson } from "#components/api-client.ts";
import type {
  CacheRange,
  CacheStatsResponse,
  NamespacesResponse,
} from "#lib/metrics/cache-dashboard-types.ts";

export const cacheKeys = {
  all: ["cache"] as const,
  stats: (range: CacheRange, namespace?: string) => ["cache", "stats", range, namespace ?? ""] as const,
  namespaces: ["cache", "namespaces"] as const,
};

export const cacheApi = {
  stats: (range: CacheRange, namespace: string | undefined, signal?: AbortSignal) =>
    getJson<CacheStatsResponse>("/api/v1/cache/stats", { range, namespace }, signal),
  namespaces: (signal?: AbortSignal) =>
    getJson<NamespacesResponse>("/api/v1/cache/namespaces", undefined, signal),
};
