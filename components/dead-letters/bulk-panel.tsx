"use client";
/**
 * "Requeue all matching" and "Delete all matching": a confirmation that names exactly how many
 * and which ("Requeue 1,284 dead letters of `documents` matching …"), an optional rate limit,
 * then live progress (cancellable) and what happened. Admins only.
 */
import { useRef, useState } from "react";
import { api } from "#components/api-client.ts";
import { formatCount } from "#components/format.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import { CanaryFields, canaryButtonLabel, describeCanaryPlan } from "./canary-fields.tsx";
import { type DeadLetterFilters, describeFilters, filtersOf } from "./filters.ts";
import { type RedriveAction as Action, useRedrive } from "./use-redrive.tsx";

interface Confirming {
  action: Action;
  count: number | null;
  /** the count stopped at API_SCAN_LIMIT: at least `count` match (the operation still takes all) */
  partial?: boolean;
  scanned?: number;
  /** entries a text count has to read in all */
  total?: number;
  /** a text count still going on, call after call, until complete or stopped */
  counting?: boolean;
  error?: string;
}

export function BulkPanel({
  filters,
  disabled,
  nothingMatches = false,
}: {
  filters: DeadLetterFilters;
  disabled: boolean;
  /** no dead letter matches the filters: there is nothing to export */
  nothingMatches?: boolean;
}) {
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [rate, setRate] = useState("");
  const {
    canary,
    setCanary,
    canaryInvalid,
    pending,
    bulkId,
    setMessage,
    run: redrive,
    outcome,
  } = useRedrive();
  const f = filtersOf(filters);
  /** the count running now; replaced (or cleared) to stop it */
  const counting = useRef<object | null>(null);

  /**
   * Counts what the action would touch. With text each call reads a bounded number of entries:
   * the count goes on call after call, showing searched of total, until complete or stopped.
   */
  async function open(action: Action) {
    setMessage(null);
    const run = {};
    counting.current = run;
    setConfirming({ action, count: null });
    try {
      let count = 0;
      let scanned = 0;
      let cursor: string | undefined;
      for (;;) {
        const r = await api.deadLetterCount(f, undefined, cursor);
        if (counting.current !== run) return;
        count += r.count;
        scanned += r.scanned;
        const more = r.partial && !!r.nextCursor;
        setConfirming({ action, count, partial: r.partial, scanned, total: r.total, counting: more });
        if (!more) return;
        cursor = r.nextCursor ?? undefined;
      }
    } catch (err) {
      if (counting.current === run) setConfirming({ action, count: null, error: (err as Error).message });
    }
  }

  function stopCounting() {
    counting.current = null;
    setConfirming((c) => (c ? { ...c, counting: false } : c));
  }

  function close() {
    counting.current = null;
    setConfirming(null);
  }

  async function confirm() {
    if (!confirming) return;
    const rateLimit = rate.trim() ? Number(rate) : undefined;
    const input = Object.keys(f).length
      ? ({ scope: "filter", filters: f, rateLimit } as const)
      : ({ scope: "all", rateLimit } as const);
    if (await redrive(confirming.action, input)) close();
  }

  const verb = confirming?.action === "delete" ? "Delete" : "Requeue";
  return (
    <div className="bulk-panel">
      <div className="actions">
        <button
          type="button"
          className="btn"
          data-testid="requeue-all"
          disabled={disabled || pending || !!bulkId}
          onClick={() => open("requeue")}
        >
          Requeue all matching…
        </button>
        <button
          type="button"
          className="btn btn-danger"
          data-testid="delete-all"
          disabled={disabled || pending || !!bulkId}
          onClick={() => open("delete")}
        >
          Delete all matching…
        </button>
        <ExportLink format="json" href={api.exportUrl(f, "json")} nothing={nothingMatches} />
        <ExportLink format="csv" href={api.exportUrl(f, "csv")} nothing={nothingMatches} />
      </div>
      {confirming ? (
        <ConfirmDialog
          open
          title={`${verb} all matching dead letters?`}
          tone={confirming.action === "delete" ? "danger" : "primary"}
          testId="confirm-bulk"
          confirmTestId="confirm-bulk-go"
          confirmLabel={
            (confirming.action === "requeue" &&
              canaryButtonLabel(canary, confirming.partial ? null : confirming.count)) ||
            `${verb} ${confirming.count === null ? "" : atLeast(confirming)}`.trim()
          }
          pending={pending}
          confirmDisabled={(!confirming.count && !confirming.partial) || canaryInvalid(confirming.action)}
          onCancel={close}
          onConfirm={confirm}
          fields={
            <>
              <label>
                Rate limit (per second, optional){" "}
                <input
                  type="number"
                  min={1}
                  max={100000}
                  inputMode="numeric"
                  data-testid="bulk-rate"
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                  placeholder="no limit"
                />
              </label>
              {confirming.action === "requeue" ? <CanaryFields value={canary} onChange={setCanary} /> : null}
            </>
          }
        >
          {confirming.count === null ? (
            <p>
              {confirming.error ? `Could not count the matching entries: ${confirming.error}` : "Counting…"}
            </p>
          ) : (
            <>
              <p>
                {verb} <strong>{atLeast(confirming)}</strong> dead letter
                {confirming.count === 1 && !confirming.partial ? "" : "s"} {describeFilters(f)}?
                {confirming.action === "delete" ? " They cannot be recovered." : ""}
                {confirming.action === "requeue" && canary.on
                  ? ` ${describeCanaryPlan(canary, confirming.partial ? null : confirming.count)}`
                  : ""}
              </p>
              {confirming.counting ? (
                <p className="muted small" data-testid="count-progress">
                  Counting… searched {formatCount(confirming.scanned)} of {formatCount(confirming.total)} dead
                  letters, {formatCount(confirming.count)} match so far.{" "}
                  <button type="button" className="btn btn-quiet" onClick={stopCounting}>
                    Stop counting
                  </button>
                </p>
              ) : confirming.partial ? (
                <p className="muted small" data-testid="count-partial">
                  Counting stopped after searching {formatCount(confirming.scanned)} of{" "}
                  {formatCount(confirming.total)} dead letters: at least {formatCount(confirming.count)}{" "}
                  match, maybe more. The {confirming.action} itself goes through every match.
                </p>
              ) : null}
            </>
          )}
        </ConfirmDialog>
      ) : null}
      {outcome}
    </div>
  );
}

/** A download of what matches; a disabled button (saying why) when nothing matches. */
function ExportLink({ format, href, nothing }: { format: "json" | "csv"; href: string; nothing: boolean }) {
  const label = `Export ${format.toUpperCase()}`;
  return nothing ? (
    <button
      type="button"
      className="btn btn-quiet"
      data-testid={`export-${format}`}
      disabled
      title="Nothing matches these filters"
    >
      {label}
    </button>
  ) : (
    <a className="btn btn-quiet" data-testid={`export-${format}`} href={href} download>
      {label}
    </a>
  );
}

/** "1,284", or "≥ 10,000" when the count stopped at its bound. */
const atLeast = (c: Confirming) => `${c.partial ? "≥ " : ""}${formatCount(c.count)}`;
