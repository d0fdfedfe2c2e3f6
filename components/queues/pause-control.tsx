"use client";
import { useState } from "react";
/**
 * A queue's pause state: the "paused" badge (overview cards, queues table, queue page) and, for
 * admins, Pause / Resume on the queue page. Pausing stops consumers from starting jobs, so it asks
 * first; resuming does not. The server checks the role again (server actions, audited).
 */
import type { ActionResult } from "#app/_lib/action.ts";
import type { PauseResponse } from "#components/api-types.ts";
import { useMutationAction } from "#components/dead-letters/use-mutation-action.ts";
import { formatAbsolute } from "#components/format.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";

export type PauseAction = (input: { queue: string }) => Promise<ActionResult<PauseResponse>>;

export interface PauseActions {
  pause: PauseAction;
  resume: PauseAction;
}

export function PausedBadge({ paused, pausedAt }: { paused: boolean; pausedAt?: number | null }) {
  if (!paused) return null;
  return (
    <span className="paused-badge" title={pausedAt ? `Paused since ${formatAbsolute(pausedAt)}` : undefined}>
      <StateBadge tone="paused" testId="paused-badge">
        paused
      </StateBadge>
    </span>
  );
}

export function PauseControl({
  queue,
  paused,
  actions,
}: {
  queue: string;
  paused: boolean;
  actions: PauseActions;
}) {
  const [confirming, setConfirming] = useState(false);
  const pause = useMutationAction(actions.pause);
  const resume = useMutationAction(actions.resume);
  const pending = pause.pending || resume.pending;
  const error = [pause.result, resume.result].find((r) => r && !r.ok);
  return (
    <>
      {paused ? (
        <button
          type="button"
          className="btn btn-primary"
          data-testid="resume-queue"
          disabled={pending || resume.blocked}
          onClick={() => void resume.run({ queue })}
        >
          ▶ Resume
        </button>
      ) : (
        <button
          type="button"
          className="btn"
          data-testid="pause-queue"
          disabled={pending || pause.blocked}
          onClick={() => setConfirming(true)}
        >
          ‖ Pause
        </button>
      )}
      {error && !error.ok ? (
        <span className="small count-dead" role="status" data-testid="pause-error">
          {error.error}
        </span>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Pause queue ${queue}?`}
        confirmLabel={`Pause ${queue}`}
        pending={pending}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          await pause.run({ queue });
          setConfirming(false);
        }}
      >
        <p>
          Consumers stop starting jobs from <code>{queue}</code> within a second; jobs already running finish.
          New jobs are still added and due retries still move to ready, so the waiting count grows until you
          resume.
        </p>
      </ConfirmDialog>
    </>
  );
}
