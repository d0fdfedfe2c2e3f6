/**
 * One colour per meaning, for every chart of the console: "completed" is the same green on the
 * overview's sparkline, the queue's history and anywhere else, and no other meaning uses it.
 * Series with no fixed meaning (cache namespaces) take the categorical colours, in order.
 */
export const SERIES_COLOURS = {
  added: "#2457d6",
  completed: "#1b7a3a",
  failed: "#a15c00",
  retried: "#7b3fb5",
  dead: "#b3261e",
  hits: "#00838f",
  misses: "#c2185b",
  /** the median of a duration (p50) */
  median: "#455a64",
  /** the tail of a duration (p95, p99) */
  tail: "#8d6e63",
  memory: "#283593",
  evicted: "#e65100",
  operations: "#6d7a00",
  /** a limit or alert threshold, drawn dashed */
  limit: "#5b6472",
} as const;

export type SeriesMeaning = keyof typeof SERIES_COLOURS;

/** For series that are categories, not meanings (one line per namespace). */
export const CATEGORY_COLOURS = ["#2457d6", "#00838f", "#7b3fb5", "#6d7a00", "#c2185b", "#455a64", "#e65100"];

/**
 * A chart's series, each coloured by its meaning: `[data key, meaning, label]`, the label being the
 * meaning's own name when left out. `meaningSeries([["p95Ms", "tail", "p95"]])`.
 */
export function meaningSeries(
  list: [key: string, meaning: SeriesMeaning, label?: string][],
): { key: string; label: string; color: string }[] {
  return list.map(([key, meaning, label]) => ({ key, label: label ?? meaning, color: SERIES_COLOURS[meaning] }));
}
