/**
 * Formatting shared by every page: counts with thousands separators, relative and absolute
 * times, byte sizes and rates. Pure functions, safe on the server and in the browser.
 */
const countFmt = new Intl.NumberFormat("en-US");

export function formatCount(n: number | null | undefined): string {
  return typeof n === "number" && Number.isFinite(n) ? countFmt.format(n) : "—";
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  return typeof ratio === "number" && Number.isFinite(ratio) ? `${(ratio * 100).toFixed(digits)} %` : "—";
}

export function formatRate(perMinute: number | null | undefined): string {
  if (typeof perMinute !== "number" || !Number.isFinite(perMinute)) return "—";
  return perMinute >= 100 ? `${countFmt.format(Math.round(perMinute))}/min` : `${perMinute.toFixed(1)}/min`;
}

/** "2026-11-27 06:01:02 UTC": unambiguous on hover and in exports. */
export function formatAbsolute(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "—";
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/**
 * "Nov 30, 2026, 16:01:02 GMT+1": the exact time in the reader's time zone (browser only: hover
 * titles, chart tooltips). Fields, not dateStyle/timeStyle: those refuse timeZoneName (a TypeError).
 */
export function formatLocal(ms: number, withSeconds = true): string {
  if (!Number.isFinite(ms) || ms <= 0) return "—";
  return new Date(ms).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...(withSeconds ? { second: "2-digit" } : {}),
    timeZoneName: "short",
  });
}

const units: [number, string][] = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "min"],
  [1_000, "s"],
];

/** A duration in the largest fitting unit: "3 h", "45 s" (whole units, rounded down unless `round` says otherwise). */
export function formatDuration(ms: number, round: (x: number) => number = Math.floor): string {
  if (!Number.isFinite(ms)) return "—";
  const abs = Math.abs(ms);
  for (const [size, unit] of units) if (abs >= size) return `${round(abs / size)} ${unit}`;
  return `${Math.round(abs)} ms`;
}

/** "3 min ago", "in 20 s", "just now". */
export function formatRelative(ms: number, now = Date.now()): string {
  if (!Number.isFinite(ms) || ms <= 0) return "—";
  const diff = now - ms;
  if (Math.abs(diff) < 1_000) return "just now";
  // A time to come rounds up: a token made "for 7 days" a second ago expires "in 7 d", not "in 6 d".
  return diff > 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff, Math.ceil)}`;
}

/** "1 worker", "3 workers", "1,204 workers": a count with its noun, plural when it is not one. */
export function formatCountOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}
