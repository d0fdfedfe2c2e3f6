/**
 * How a threshold is shown and typed in the console: ratios as percent (0.9 ↔ "90"), other
 * units as they are. Shared by the threshold editor and the tables.
 */
import type { AlertUnit } from "#lib/alerts/definitions.ts";

export const unitSuffix: Record<AlertUnit, string> = {
  count: "",
  ratio: "%",
  retries: "",
  hours: "h",
  ms: "ms",
  seconds: "s",
};

export function toInput(unit: AlertUnit, value: number): string {
  return unit === "ratio" ? String(Number((value * 100).toFixed(4))) : String(value);
}

/** The typed text as a threshold, or an error saying what to type instead. */
export function fromInput(
  text: string,
  a: { unit: AlertUnit; min: number; max: number; integer: boolean; label: string },
): { value: number } | { error: string } {
  const t = text.trim();
  if (t === "" || !/^-?(\d+\.?\d*|\.\d+)$/.test(t)) return { error: "Enter a number" };
  const n = Number(t);
  const [min, max] = a.unit === "ratio" ? [a.min * 100, a.max * 100] : [a.min, a.max];
  const suffix = unitSuffix[a.unit] ? ` ${unitSuffix[a.unit]}` : "";
  if (n < min || n > max) return { error: `Enter a value between ${min} and ${max}${suffix}` };
  if (a.integer && !Number.isInteger(n)) return { error: "Enter a whole number" };
  return { value: a.unit === "ratio" ? n / 100 : n };
}
