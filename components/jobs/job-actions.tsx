"use client";
/**
 * The actions that fit a job's state, for admins (the page leaves them out for viewers; the
 * server actions check the role again and audit): a scheduled job runs now or is deleted, a
 * waiting job is deleted, an orphaned active job goes back to waiting, a completed job whose
 * payload was kept runs again. Deleting and taking a job from its consumer ask first.
 */
import { useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import {
  deleteJobAction,
  promoteJobAction,
  reclaimJobAction,
  requeueJobAction,
} from "#app/(console)/queues/[queue]/jobs/actions.ts";
import type { JobActionResult, JobDetail } from "#components/api-types.ts";
import { useMutationAction } from "#components/dead-letters/use-mutation-action.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import type { JobAction } from "#lib/queue/job-actions.ts";

type Run = (input: { queue: string; id: string }) => Promise<ActionResult<JobActionResult>>;

interface Spec {
  label: string;
  run: Run;
  /** asks first, with this sentence */
  confirm?: (job: JobDetail) => string;
  danger?: boolean;
}

const SPECS: Record<JobAction, Spec> = {
  promote: { label: "Run now", run: promoteJobAction },
  delete: {
    label: "Delete",
    run: deleteJobAction,
    danger: true,
    confirm: (j) => `Job ${j.id} of ${j.queue} and its data are removed for good; it will never run.`,
  },
  reclaim: {
    label: "Move back to waiting",
    run: reclaimJobAction,
    confirm: (j) =>
      `Job ${j.id} goes back to the front of ${j.queue}'s line now, with this attempt counted, as the periodic reclaim would at its lease deadline. Its consumer has stopped sending heartbeats.`,
  },
  requeue: { label: "Requeue (run again)", run: requeueJobAction },
};

/** The actions that fit a job where it is now. */
export function actionsFor(job: JobDetail): JobAction[] {
  switch (job.state) {
    case "waiting":
      return ["delete"];
    case "scheduled":
      return ["promote", "delete"];
    case "active":
      return job.active?.lease === "orphaned" ? ["reclaim"] : [];
    case "completed":
      return job.completed?.payloadKept ? ["requeue"] : [];
    default:
      return [];
  }
}

const DONE: Record<JobAction, string> = {
  promote: "Runs now: moved to the front of the line",
  delete: "Deleted",
  reclaim: "Moved back",
  requeue: "Requeued: a new run with the same payload",
};

export function describeJobResult(r: JobActionResult): string {
  if (!r.changed) return `Nothing to do: the job is already ${r.state}`;
  return r.state === "deleted" ? DONE.delete : `${DONE[r.action]} (now ${r.state})`;
}

function ActionButton({
  job,
  name,
  onDone,
}: {
  job: JobDetail;
  name: JobAction;
  onDone: (r: ActionResult<JobActionResult>) => void;
}) {
  const spec = SPECS[name];
  const m = useMutationAction(spec.run);
  const [confirming, setConfirming] = useState(false);
  const go = async () => {
    const r = await m.run({ queue: job.queue, id: job.id });
    setConfirming(false);
    onDone(r);
  };
  return (
    <>
      <button
        type="button"
        className={spec.danger ? "btn btn-danger" : "btn btn-primary"}
        data-testid={`job-${name}`}
        disabled={m.pending || m.blocked}
        onClick={() => (spec.confirm ? setConfirming(true) : void go())}
      >
        {spec.label}
      </button>
      {spec.confirm ? (
        <ConfirmDialog
          open={confirming}
          title={`${spec.label}: job ${job.id}?`}
          confirmLabel={spec.label}
          pending={m.pending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void go()}
        >
          <p>{spec.confirm(job)}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

export function JobActions({
  job,
  onDone,
}: {
  job: JobDetail;
  onDone: (r: ActionResult<JobActionResult>) => void;
}) {
  const names = actionsFor(job);
  if (names.length === 0) return null;
  return (
    <div className="actions" data-testid="job-actions">
      {names.map((n) => (
        <ActionButton key={`${job.state}-${n}`} job={job} name={n} onDone={onDone} />
      ))}
    </div>
  );
}
