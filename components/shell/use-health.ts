"use client";
/**
 * Redis reachability as the shell sees it: /api/health, polled, plus any live query that failed
 * with 503 after the last health answer. Either one raises the banner; both clear by themselves
 * when Redis is back (health is polled faster while it is down).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { ApiError, api } from "#components/api-client.ts";
import { FAST_POLL_MS, POLL_MS, qk } from "#components/query-keys.ts";

export type RedisStatus = "up" | "down" | "unknown" | "console-down";

/** The time of the newest 503 among queries someone is watching (0 if none). */
function useLatest503(): number {
  const cache = useQueryClient().getQueryCache();
  const snapshot = () => {
    let latest = 0;
    for (const q of cache.getAll()) {
      if (q.getObserversCount() === 0 || q.state.status !== "error") continue;
      if ((q.state.error as ApiError | null)?.status === 503)
        latest = Math.max(latest, q.state.errorUpdatedAt);
    }
    return latest;
  };
  return useSyncExternalStore(
    (cb) => cache.subscribe(cb),
    snapshot,
    () => 0,
  );
}

export function useRedisStatus(): { status: RedisStatus; checkedAt?: number } {
  const health = useQuery({
    queryKey: qk.health,
    queryFn: ({ signal }) => api.health(signal),
    refetchInterval: (q) => (q.state.data?.redis === "down" ? FAST_POLL_MS * 2 : POLL_MS),
    retry: false,
  });
  const latest503 = useLatest503();
  if (
    health.error instanceof ApiError &&
    health.error.status === 0 &&
    health.errorUpdatedAt > health.dataUpdatedAt
  )
    return { status: "console-down", checkedAt: health.errorUpdatedAt };
  if (!health.data) return { status: latest503 ? "down" : "unknown" };
  if (health.data.redis === "down" || latest503 > health.dataUpdatedAt)
    return { status: "down", checkedAt: Math.max(health.dataUpdatedAt, latest503) };
  return { status: "up", checkedAt: health.dataUpdatedAt };
}
