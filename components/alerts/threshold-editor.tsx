"use client";
/**
 * Inline editor of one threshold (admins only): checks the range as you type, saves through the
 * server action (which validates again), and says what happened. Ratios are typed as percent.
 */
import { useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import type { AlertStatus } from "#lib/alerts/types.ts";
import { fromInput, toInput, unitSuffix } from "./alert-value.ts";
import s from "./alerts.module.css";

export type SetThreshold = (input: { id: string; value: number }) => Promise<ActionResult<unknown>>;
export type ResetThreshold = (input: { id: string }) => Promise<ActionResult<unknown>>;

export function ThresholdEditor({
  alert,
  onSet,
  onReset,
  pending,
}: {
  alert: AlertStatus;
  onSet: SetThreshold;
  onReset: ResetThreshold;
  pending: boolean;
}) {
  const [text, setText] = useState(() => toInput(alert.unit, alert.threshold));
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const parsed = fromInput(text, alert);
  const error = "error" in parsed ? parsed.error : serverError;
  const unchanged = "value" in parsed && parsed.value === alert.threshold;
  const inputId = `threshold-${alert.id}`;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!("value" in parsed)) return;
    setSaved(false);
    const r = await onSet({ id: alert.id, value: parsed.value });
    if (r.ok) setSaved(true);
    setServerError(r.ok ? null : r.error);
  }

  async function reset() {
    const r = await onReset({ id: alert.id });
    if (r.ok) setText(toInput(alert.unit, alert.defaultThreshold));
    setServerError(r.ok ? null : r.error);
  }

  return (
    <form className={s.editor} onSubmit={submit} data-testid={`threshold-form-${alert.id}`}>
      <label htmlFor={inputId} className="visually-hidden" style={{ position: "absolute", left: -9999 }}>
        {alert.label} threshold
      </label>
      <span aria-hidden="true">{alert.comparator}</span>
      <input
        id={inputId}
        name="value"
        inputMode="decimal"
        value={text}
        aria-invalid={error ? "true" : "false"}
        aria-describedby={error ? `${inputId}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setSaved(false);
          setServerError(null);
        }}
        data-testid={`threshold-input-${alert.id}`}
      />
      <span>{unitSuffix[alert.unit]}</span>
      <button
        type="submit"
        className="btn btn-primary"
        disabled={pending || !!error || unchanged}
        data-testid={`threshold-save-${alert.id}`}
      >
        Save
      </button>
      {alert.overridden ? (
        <button type="button" className={s.linkButton} onClick={reset} disabled={pending}>
          Reset to default ({toInput(alert.unit, alert.defaultThreshold)}
          {unitSuffix[alert.unit]})
        </button>
      ) : null}
      {saved && !error ? (
        <span className={s.saved} role="status">
          Saved
        </span>
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
    </form>
  );
}
