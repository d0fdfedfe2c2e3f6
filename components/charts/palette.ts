/**
 * One colour per meaning, for every chart of the console: "completed" is the same green on the
 * overview's sparkline, the queue's history and anywhere else, and no other meaning uses it.
 * There are no categorical colours: a set of categories (the cache's namespaces) is drawn as small
 * multiples, one chart per category in the colour of what it measures (cache-charts.tsx says why).
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

/**
 * A chart's series, each coloured by its meaning: `[data key, meaning, label]`, the label being the
 * meaning's own name when left out. `meaningSeries([["p95Ms", "tail", "p95"]])`.
 */
export function meaningSeries(
  list: [key: string, meaning: SeriesMeaning, label?: string][],
): { key: string; label: string; color: string }[] {
  return list.map(([key, meaning, label]) => ({
    key,
    label: label ?? meaning,
    color: SERIES_COLOURS[meaning],
  }));
}
