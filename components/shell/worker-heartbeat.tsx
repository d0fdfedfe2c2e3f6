"use client";
/** The retry worker's heartbeat: how long since the freshest worker beat, in the state colours. */
import { useQuery } from "@tanstack/react-query";
import { api } from "#components/api-client.ts";
import type { WorkerBeat } from "#components/api-types.ts";
import { formatAbsolute, formatCountOf, formatDuration } from "#components/format.ts";
import { qk } from "#components/query-keys.ts";
import { StateBadge, type Tone } from "#components/ui/state-badge.tsx";

/**
 * ok: a worker beat within three of its intervals; retrying colour: the freshest beat is late
 * but under a minute old; dead: no worker, or silent for a minute or more.
 */
export function heartbeatTone(workers: WorkerBeat[] | undefined, now: number): { tone: Tone; text: string } {
  if (!workers) return { tone: "neutral", text: "worker —" };
  if (!workers.length) return { tone: "dead", text: "no worker" };
  const last = Math.max(...workers.map((w) => w.lastBeatAt));
  const age = Math.max(0, now - last);
  const text = `worker ${age < 1000 ? "beat just now" : `beat ${formatDuration(age)} ago`}`;
  if (workers.some((w) => w.alive)) return { tone: "ok", text };
  return { tone: age < 60_000 ? "retry" : "dead", text };
}

export function WorkerHeartbeat() {
  const q = useQuery({ queryKey: qk.queues.light, queryFn: ({ signal }) => api.queuesLight(signal) });
  const { tone, text } = heartbeatTone(q.data?.workers, q.dataUpdatedAt || Date.now());
  const last = Math.max(0, ...(q.data?.workers ?? []).map((w) => w.lastBeatAt));
  const title = q.data
    ? `${formatCountOf(q.data.workers.length, "worker")}; last beat ${last ? formatAbsolute(last) : "never"}`
    : "Worker status unknown";
  return (
    <span className="topbar-item" title={title} data-testid="worker-heartbeat">
      <StateBadge tone={tone}>{text}</StateBadge>
    </span>
  );
}
