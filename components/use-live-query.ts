"use client";
/**
 * Live data for the console's pages (overview, queue pages, job pages): a React Query that
 * refetches every LIVE_MS, so a change shows within two seconds without a reload.
 *
 * Polling rather than server-sent events: every reading is already a bounded GET of /api/v1 with
 * the caller's role checked per request; a poll needs no long-lived connection per tab (nothing
 * to keep alive through proxies, nothing held open in the console process, the same path when
 * Redis is down), and React Query already gives what the acceptance asks:
 *   - no stacking: an interval tick while a fetch is in flight joins that fetch instead of
 *     starting another (query-core's Query.fetch returns the pending promise unless
 *     `cancelRefetch` is set, which only a manual refetch does), so a slow Redis slows the polls
 *     down to one request at a time, never a queue of them;
 *   - hidden tabs stop polling (`refetchIntervalInBackground: false`) and catch up on focus.
 * Reads that are costly and cannot change that fast (a 7-day chart) pass a longer interval.
 */
import { type QueryKey, useQuery } from "@tanstack/react-query";

export const LIVE_MS = 1_500;

export function useLiveQuery<T>(
  queryKey: QueryKey,
  fetcher: (signal: AbortSignal) => Promise<T>,
  intervalMs: number = LIVE_MS,
) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => fetcher(signal),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
    // Keep showing the last data while the next one loads (a range switch keeps its own key).
    staleTime: Math.min(intervalMs, 2_000),
  });
}
