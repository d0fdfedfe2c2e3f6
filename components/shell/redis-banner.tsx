"use client";
/** The banner every page shows while Redis (or the console server) is unreachable. */
import { useRedisStatus } from "./use-health.ts";

export function RedisBanner() {
  const { status } = useRedisStatus();
  if (status !== "down" && status !== "console-down") return null;
  return (
    <div className="banner banner-dead" role="status" data-testid="redis-down-banner">
      <strong>{status === "down" ? "Redis is unreachable." : "The console server is unreachable."}</strong>{" "}
      Showing the last known data; changes are disabled until it is back. This page retries by itself.
    </div>
  );
}
