"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api } from "#components/api-client.ts";
import type { ErrorGroup } from "#components/api-types.ts";
import { formatCount } from "#components/format.ts";
import { useCanMutate } from "#components/providers.tsx";
import { qk } from "#components/query-keys.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import { MonoId } from "#components/ui/copy-button.tsx";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import { CanaryFields, canaryButtonLabel, describeCanaryPlan } from "./canary-fields.tsx";
import { ErrorSummary } from "./error-summary.tsx";
import { type DeadLetterFilters, viewSearch } from "./filters.ts";
/**
 * The grouped view: one row per error fingerprint with its count, first and last seen, a sample
 * message (as text), a link to its entries, and Requeue group / Delete group for admins.
 */
import { RequeueDeleteButtons } from "./requeue-delete-buttons.tsx";
import { type RedriveAction, useRedrive } from "./use-redrive.tsx";

export function GroupsTable({ filters }: { filters: DeadLetterFilters }) {
  const canMutate = useCanMutate();
  const groups = useQuery({
    queryKey: qk.deadLetters.groups(filters),
    queryFn: ({ signal }) => api.groups(filters, signal),
  });
  /** the canary choice of a group requeue, the action's progress or outcome */
  const { canary, setCanary, canaryInvalid, pending: busy, bulkId, run, outcome } = useRedrive();

  /** the group action waiting for confirmation */
  const [asking, setAsking] = useState<{ action: RedriveAction; g: ErrorGroup } | null>(null);

  const act = (action: RedriveAction, g: ErrorGroup) =>
    run(action, { scope: "group", queue: g.queue, fingerprint: g.fingerprint }, () => setAsking(null));

  if (groups.isPending) return <Loading what="error groups" />;
  if (groups.isError && !groups.data)
    return (
      <ErrorState
        title="Error groups could not be loaded"
        message={groups.error.message}
        retry={() => groups.refetch()}
      />
    );
  const list = groups.data?.groups ?? [];
  return (
    <>
      {groups.isRefetchError ? <StaleNote since={groups.dataUpdatedAt} /> : null}
      {asking ? (
        <ConfirmDialog
          open
          title={asking.action === "requeue" ? "Requeue this error group?" : "Delete this error group?"}
          tone={asking.action === "delete" ? "danger" : "primary"}
          testId="confirm-group"
          confirmTestId="confirm-group-go"
          confirmLabel={
            (asking.action === "requeue" && canaryButtonLabel(canary, asking.g.count)) ||
            `${asking.action === "requeue" ? "Requeue" : "Delete"} ${formatCount(asking.g.count)}`
          }
          pending={busy}
          confirmDisabled={canaryInvalid(asking.action)}
          onCancel={() => setAsking(null)}
          onConfirm={() => act(asking.action, asking.g)}
          returnFocus={() => document.querySelector<HTMLElement>('[data-testid="groups-table"]')}
          fields={asking.action === "requeue" ? <CanaryFields value={canary} onChange={setCanary} /> : null}
        >
          <p>
            {asking.action === "requeue" ? "Requeue" : "Delete"}{" "}
            <strong>{formatCount(asking.g.count)}</strong> dead letter{asking.g.count === 1 ? "" : "s"} of{" "}
            <code>{asking.g.queue}</code> in error group <code>{asking.g.fingerprint.slice(0, 8)}…</code>:{" "}
            <ErrorSummary name={asking.g.name} message={asking.g.sampleMessage} />
            {asking.action === "delete" ? ". They cannot be recovered." : "."}
            {asking.action === "requeue" && canary.on ? ` ${describeCanaryPlan(canary, asking.g.count)}` : ""}
          </p>
        </ConfirmDialog>
      ) : null}
      {outcome}
      {filters.q || filters.range ? (
        <p className="muted small" data-testid="groups-note">
          Groups count every dead letter of {filters.queue ? "the queue" : "each queue"}: the time range and
          search apply to the list only.
        </p>
      ) : null}
      {groups.data?.partial ? (
        <p className="muted small" data-testid="groups-partial">
          Showing the {formatCount(groups.data.scanned)} error groups read first (most recently seen, queue by
          queue): more exist. Choose a queue to narrow the list.
        </p>
      ) : null}
      {list.length === 0 ? (
        <Empty title="No error groups">
          No dead letter matches these filters, so there is nothing to group.
        </Empty>
      ) : (
        <TableScroll label="Error groups">
          <table className="data-table stack-on-phone" data-testid="groups-table">
            <thead>
              <tr>
                <th>Fingerprint</th>
                <th>Queue</th>
                <th className="col-wide">Error</th>
                <th className="num">Count</th>
                <th>First seen</th>
                <th>Last seen</th>
                {canMutate ? <th className="col-actions">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((g) => (
                <tr
                  key={`${g.queue}:${g.fingerprint}`}
                  data-testid="group-row"
                  data-fingerprint={g.fingerprint}
                >
                  <td>
                    <MonoId value={g.fingerprint} short={10} />
                  </td>
                  <td>
                    <code>{g.queue}</code>
                  </td>
                  <td className="col-wide">
                    <Link
                      href={`/dead-letters${viewSearch({ queue: g.queue, group: g.fingerprint })}`}
                      className="error-link"
                    >
                      <ErrorSummary name={g.name} message={g.sampleMessage} />
                    </Link>
                    {g.topFrame ? <div className="muted mono small">{g.topFrame}</div> : null}
                  </td>
                  <td className="num" data-label="count">
                    {formatCount(g.count)}
                  </td>
                  <td data-label="first">
                    <RelativeTime ms={g.firstSeen} />
                  </td>
                  <td data-label="last">
                    <RelativeTime ms={g.lastSeen} />
                  </td>
                  {canMutate ? (
                    <td className="col-actions">
                      <RequeueDeleteButtons
                        small
                        labels={["Requeue group", "Delete group"]}
                        rowName={g.fingerprint.slice(0, 10)}
                        disabled={busy || !!bulkId}
                        onAct={(action) => setAsking({ action, g })}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
