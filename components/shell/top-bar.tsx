"use client";
/**
 * The top bar every page shows: Redis status, the retry worker's heartbeat, the firing-alerts
 * badge, the find-a-job box, the signed-in user with role, the light/dark switch and a sign-out
 * control. One line from 1024 px up (the find box and the user's name give way first, then the
 * labels "Find job" and "Dark mode" are kept for screen readers only); on a phone it folds on
 * purpose: the badges, then the user's controls, then the find box across the whole width
 * (app/globals.css, "Top bar").
 */
import type { ReactNode } from "react";
import { usePrincipal } from "#components/providers.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";
import { FiringAlertsBadge } from "./alerts-badge.tsx";
import { FindJob } from "./find-job.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";
import { useRedisStatus } from "./use-health.ts";
import { WorkerHeartbeat } from "./worker-heartbeat.tsx";

function RedisStatusBadge() {
  const { status } = useRedisStatus();
  const tone = status === "up" ? "ok" : status === "unknown" ? "neutral" : "dead";
  const text = status === "up" ? "Redis up" : status === "unknown" ? "Redis …" : "Redis down";
  return (
    <span className="topbar-item" data-testid="redis-status" data-status={status}>
      <StateBadge tone={tone}>{text}</StateBadge>
    </span>
  );
}

export function TopBar({ signOut }: { signOut?: ReactNode }) {
  const principal = usePrincipal();
  return (
    <header className="top-bar">
      <RedisStatusBadge />
      <WorkerHeartbeat />
      <FiringAlertsBadge />
      <span className="spacer" />
      <FindJob />
      {principal ? (
        <span
          className="topbar-item user"
          data-testid="current-user"
          title={principal.name || principal.email}
        >
          {/* a long name is cut with an ellipsis (the title has it whole) rather than wrap the bar */}
          <span className="user-name">{principal.name || principal.email}</span>{" "}
          <span className={`role role-${principal.role}`}>{principal.role}</span>
        </span>
      ) : null}
      <ThemeToggle />
      {signOut}
    </header>
  );
}
