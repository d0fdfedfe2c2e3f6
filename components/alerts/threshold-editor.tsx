"use client";
/**
 * The thresholds as one form (admins only): each row's input checks its range as you type; one
 * Save sends every changed threshold in one server action (which validates again, stores them and
 * answers without waiting for the evaluation) and says what happened ("Saved 2 thresholds"); the
 * alerts' states follow with the page's next refresh. Ratios are typed as percent. "Reset to
 * default" acts at once, per row.
 */
import { useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import type { AlertStatus } from "#lib/alerts/types.ts";
import { fromInput, toInput, unitSuffix } from "./alert-value.ts";
import s from "./alerts.module.css";

export type SaveThresholds = (input: {
  changes: { id: string; value: number }[];
}) => Promise<ActionResult<{ saved: { id: string }[]; failed: { id: string; error: string }[] }>>;
export type ResetThreshold = (input: { id: string }) => Promise<ActionResult<unknown>>;

export const THRESHOLDS_FORM = "thresholds-form";

/** What the admin has typed, per alert id, until it is saved. */
export function useThresholdDrafts(alerts: AlertStatus[], onSave: SaveThresholds) {
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const textOf = (a: AlertStatus) => drafts[a.id] ?? toInput(a.unit, a.threshold);
  const problems = alerts.flatMap((a) => {
    const p = fromInput(textOf(a), a);
    return "error" in p ? [a.id] : [];
  });
  const changed = alerts.flatMap((a) => {
    if (drafts[a.id] === undefined) return [];
    const p = fromInput(drafts[a.id], a);
    return "value" in p && p.value !== a.threshold ? [{ id: a.id, value: p.value }] : [];
  });

  function edit(id: string, text: string) {
    setDrafts((d) => ({ ...d, [id]: text }));
    setErrors(({ [id]: _gone, ...rest }) => rest);
    setSaved(null);
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (problems.length || !changed.length) return;
    setSaving(true);
    const r = await onSave({ changes: changed });
    const failed: Record<string, string> = r.ok
      ? Object.fromEntries(r.data.failed.map((f) => [f.id, f.error]))
      : Object.fromEntries(changed.map((c) => [c.id, r.error]));
    const done = r.ok ? r.data.saved.length : 0;
    setSaving(false);
    setErrors(failed);
    // saved drafts are dropped: the row shows the stored threshold again
    setDrafts((d) => Object.fromEntries(Object.entries(d).filter(([id]) => id in failed)));
    setSaved(done ? `Saved ${done === 1 ? "1 threshold" : `${done} thresholds`}` : null);
  }

  return {
    textOf,
    edit,
    errors,
    saved,
    saving,
    save,
    problems,
    changed,
    clear: (id: string) => edit(id, ""),
  };
}

export function ThresholdInput({
  alert,
  text,
  serverError,
  onChange,
  onReset,
  pending,
}: {
  alert: AlertStatus;
  text: string;
  serverError?: string;
  onChange: (text: string) => void;
  onReset: ResetThreshold;
  pending: boolean;
}) {
  const [resetError, setResetError] = useState<string | null>(null);
  const parsed = fromInput(text, alert);
  const error = "error" in parsed ? parsed.error : (serverError ?? resetError);
  const inputId = `threshold-${alert.id}`;

  async function reset() {
    const r = await onReset({ id: alert.id });
    if (r.ok) onChange(toInput(alert.unit, alert.defaultThreshold));
    setResetError(r.ok ? null : r.error);
  }

  return (
    <div className={s.editor} data-testid={`threshold-form-${alert.id}`}>
      <label htmlFor={inputId} className="visually-hidden" style={{ position: "absolute", left: -9999 }}>
        {alert.label} threshold
      </label>
      <span aria-hidden="true">{alert.comparator}</span>
      <input
        id={inputId}
        name={alert.id}
        form={THRESHOLDS_FORM}
        inputMode="decimal"
        value={text}
        aria-invalid={error ? "true" : "false"}
        aria-describedby={error ? `${inputId}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-testid={`threshold-input-${alert.id}`}
      />
      <span>{unitSuffix[alert.unit]}</span>
      {alert.overridden ? (
        <button type="button" className={s.linkButton} onClick={reset} disabled={pending}>
          Reset to default ({toInput(alert.unit, alert.defaultThreshold)}
          {unitSuffix[alert.unit]})
        </button>
      ) : null}
      {error ? (
        <span
          id={`${inputId}-error`}
          className={s.fieldError}
          role="status"
          data-testid={`threshold-error-${alert.id}`}
        >
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The form's one Save, under the table, with what happened. */
export function ThresholdsSave({
  drafts,
  pending,
}: {
  drafts: ReturnType<typeof useThresholdDrafts>;
  pending: boolean;
}) {
  const { changed, problems, saved, saving, save } = drafts;
  return (
    <form id={THRESHOLDS_FORM} className={s.editor} onSubmit={save} data-testid="thresholds-form">
      <button
        type="submit"
        className="btn btn-primary"
        disabled={pending || saving || problems.length > 0 || changed.length === 0}
        data-testid="thresholds-save"
      >
        {saving ? "Saving…" : changed.length > 1 ? `Save ${changed.length} thresholds` : "Save thresholds"}
      </button>
      {problems.length ? (
        <span className={s.fieldError} role="status">
          Correct the highlighted threshold{problems.length === 1 ? "" : "s"} to save.
        </span>
      ) : null}
      {saved && !changed.length ? (
        <span className={s.saved} role="status" data-testid="thresholds-saved">
          {saved}
        </span>
      ) : null}
    </form>
  );
}
