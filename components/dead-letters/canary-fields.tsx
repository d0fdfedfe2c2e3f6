"use client";
/**
 * The canary choice of a bulk requeue's confirmation ("Requeue all matching", "Requeue group"):
 * requeue N first, wait for their outcome, and go on only if at least X % of them succeeded.
 * The sentence under the fields says exactly what will happen.
 */
import { formatCount } from "#components/format.ts";

export interface CanaryChoice {
  on: boolean;
  count: string;
  /** percent, as typed */
  minSuccess: string;
}

export const CANARY_DEFAULT: CanaryChoice = { on: false, count: "10", minSuccess: "90" };

/** The API's `canary` option from the fields; undefined when off; an error text when invalid. */
export function canaryOption(c: CanaryChoice): { count: number; minSuccess: number } | string | undefined {
  if (!c.on) return undefined;
  const count = Number(c.count);
  const pct = Number(c.minSuccess);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    return "Canary size: a whole number from 1 to 1,000";
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) return "Needed to succeed: a percentage from 0 to 100";
  return { count, minSuccess: pct / 100 };
}

/** The canary's size: the count asked, or fewer when the scope holds fewer (`scope`: its size, if known). */
const canarySize = (count: number, scope?: number | null) =>
  scope === undefined || scope === null ? count : Math.min(count, scope);

/** "Requeue 10 first (canary)", the confirm button's label with a canary; null without one. */
export function canaryButtonLabel(c: CanaryChoice, scope?: number | null): string | null {
  const opt = canaryOption(c);
  return opt && typeof opt !== "string"
    ? `Requeue ${formatCount(canarySize(opt.count, scope))} first (canary)`
    : null;
}

/** "First 10 as a canary: the rest only if at least 9 of them (90 %) complete." */
export function describeCanaryPlan(c: CanaryChoice, scope?: number | null): string {
  const opt = canaryOption(c);
  if (!opt || typeof opt === "string") return "";
  const size = canarySize(opt.count, scope);
  const needed = Math.ceil(opt.minSuccess * size - 1e-9);
  return (
    `First ${formatCount(size)} as a canary; the rest only if at least ${formatCount(needed)} of them ` +
    `(${c.minSuccess} %) complete. If fewer do, or they have not finished by the canary timeout, it stops, ` +
    "leaves the rest in the DLQ and lists the ones that failed again."
  );
}

export function CanaryFields({
  value,
  onChange,
}: {
  value: CanaryChoice;
  onChange: (c: CanaryChoice) => void;
}) {
  const problem = canaryOption(value);
  return (
    <fieldset className="canary-fields" data-testid="canary-fields" aria-label="Canary">
      <label>
        <input
          type="checkbox"
          data-testid="canary-on"
          checked={value.on}
          onChange={(e) => onChange({ ...value, on: e.target.checked })}
        />{" "}
        Canary: requeue a few first and check they succeed
      </label>
      {value.on ? (
        <>
          <label>
            How many first{" "}
            <input
              type="number"
              min={1}
              max={1000}
              inputMode="numeric"
              data-testid="canary-count"
              value={value.count}
              onChange={(e) => onChange({ ...value, count: e.target.value })}
            />
          </label>
          <label>
            Needed to succeed (%){" "}
            <input
              type="number"
              min={0}
              max={100}
              inputMode="numeric"
              data-testid="canary-min-success"
              value={value.minSuccess}
              onChange={(e) => onChange({ ...value, minSuccess: e.target.value })}
            />
          </label>
          {/* the plan itself is in the confirmation's sentence; here only what is wrong */}
          {typeof problem === "string" ? (
            <p className="error-text small" data-testid="canary-problem">
              {problem}
            </p>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}
