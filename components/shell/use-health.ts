"use client";
/**
 * Redis reachability as the shell sees it: /api/health, polled, plus any live query that failed
 * with 503. Either one raises the banner; both clear by themselves when Redis is back.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { ApiError, api } from "../api-client.ts";
import { FAST_POLL_MS, POLL_MS, qk } from "../query-keys.ts";

export type RedisStatus = "up" | "down" | "unknown" | "console-down";

function useAnyQueryRedisDown(): boolean {
  const client = useQueryClient();
  const cache = client.getQueryCache();
  const snapshot = () =>
    cache.getAll().some((q) => q.state.status === "error" && (q.state.error as ApiError)?.status === 503);
  return useSyncExternalStore(
    (cb) => cache.subscribe(cb),
    snapshot,
    () => false,
  );
}

export function useRedisStatus(): { status: RedisStatus; checkedAt?: number } {
  const health = useQuery({
    queryKey: qk.health,
    queryFn: ({ signal }) => api.health(signal),
    refetchInterval: (q) => (q.state.data?.redis === "down" ? FAST_POLL_MS * 2 : POLL_MS),
    retry: false,
  });
  const anyDown = useAnyQueryRedisDown();
  if (health.error instanceof ApiError && health.error.status === 0)
    return { status: "console-down", checkedAt: health.errorUpdatedAt };
  if (health.data?.redis === "down") return { status: "down", checkedAt: health.dataUpdatedAt };
  if (health.data?.redis === "up" && !health.isRefetchError) {
    // A query that failed with 503 after the last health check wins until health is checked again.
    return { status: anyDown && health.isStale ? "down" : "up", checkedAt: health.dataUpdatedAt };
  }
  return { status: anyDown ? "down" : "unknown" };
}
