"use client";
/**
 * The wiring a bulk requeue or delete shares wherever it is confirmed (bulk-panel.tsx for "all
 * matching", groups-table.tsx for one error group): the two server actions, the canary choice,
 * then either a bulk operation's live progress or a sentence saying what happened.
 */
import { useState } from "react";
import { deleteAction, requeueAction } from "#app/(console)/dead-letters/actions.ts";
import { BulkProgressView } from "./bulk-progress.tsx";
import { CANARY_DEFAULT, type CanaryChoice, canaryOption } from "./canary-fields.tsx";
import { describeResult } from "./outcome.ts";
import { useMutationAction } from "./use-mutation-action.ts";

export type RedriveAction = "requeue" | "delete";

/**
 * A bulk mutation's scope as app/_lib/ops/schemas.ts reads it (validated again on the server); the
 * canary is added from the choice, for requeues only.
 */
type Scope = { scope: "group" | "filter" | "all"; rateLimit?: number } & Record<string, unknown>;

export function useRedrive() {
  const requeue = useMutationAction(requeueAction);
  const remove = useMutationAction(deleteAction);
  const [canary, setCanary] = useState<CanaryChoice>(CANARY_DEFAULT);
  const [bulkId, setBulkId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const pending = requeue.pending || remove.pending || requeue.blocked;
  /** the canary fields hold something the API would refuse: the confirm button stays disabled */
  const canaryInvalid = (action: RedriveAction) =>
    action === "requeue" && typeof canaryOption(canary) === "string";

  /**
   * Runs the action on the scope; false (nothing sent) while the canary fields are invalid.
   * `beforeSend` runs once the input is known to be sendable (a dialog may close there).
   */
  async function run(action: RedriveAction, scope: Scope, beforeSend?: () => void) {
    const c = action === "requeue" ? canaryOption(canary) : undefined;
    if (typeof c === "string") return false;
    beforeSend?.();
    const r = await (action === "requeue" ? requeue : remove).run({ ...scope, canary: c });
    if (!r.ok) {
      setMessage(r.error);
      return true;
    }
    if (r.data.mode === "bulk") setBulkId(r.data.bulkId);
    setMessage(describeResult(r.data));
    return true;
  }

  /** Live progress of the bulk operation started, or what the last action did. */
  const outcome = (
    <>
      {bulkId ? <BulkProgressView id={bulkId} onClose={() => setBulkId(null)} /> : null}
      {message && !bulkId ? (
        <p className="outcome" role="status" data-testid="action-outcome">
          {message}
        </p>
      ) : null}
    </>
  );

  return { canary, setCanary, canaryInvalid, pending, bulkId, setMessage, run, outcome };
}
