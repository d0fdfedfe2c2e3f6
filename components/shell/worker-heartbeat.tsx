"use client";
/** The retry worker's heartbeat: how long since the freshest worker beat, in the state colours. */
import { useQuery } from "@tanstack/react-query";
import { api } from "../api-client.ts";
import type { WorkerBeat } from "../api-types.ts";
import { formatAbsolute, formatDuration } from "../format.ts";
import { qk } from "../query-keys.ts";
import { StateBadge, type Tone } from "../ui/state-badge.tsx";

/** Beats older than this mean the worker is late; twice as old, that it is gone. */
export const HEARTBEAT_LATE_MS = 15_000;

export function heartbeatTone(workers: WorkerBeat[] | undefined, now: number): { tone: Tone; text: string } {
  if (!workers) return { tone: "neutral", text: "worker —" };
  const last = Math.max(0, ...workers.map((w) => w.lastBeatAt));
  if (!last) return { tone: "dead", text: "no worker" };
  const age = now - last;
  const text = `worker ${age < 1000 ? "just now" : `${formatDuration(age)} ago`}`;
  if (age < HEARTBEAT_LATE_MS) return { tone: "ok", text };
  return { tone: age < HEARTBEAT_LATE_MS * 4 ? "retry" : "dead", text };
}

export function WorkerHeartbeat() {
  const q = useQuery({ queryKey: qk.queues.all, queryFn: ({ signal }) => api.queues(signal) });
  const { tone, text } = heartbeatTone(q.data?.workers, q.dataUpdatedAt || Date.now());
  const last = Math.max(0, ...(q.data?.workers ?? []).map((w) => w.lastBeatAt));
  const title = q.data
    ? `${q.data.workers.length} worker(s); last beat ${last ? formatAbsolute(last) : "never"}`
    : "Worker status unknown";
  return (
    <span className="topbar-item" title={title} data-testid="worker-heartbeat">
      <StateBadge tone={tone}>{text}</StateBadge>
    </span>
  );
}
