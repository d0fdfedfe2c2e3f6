/** Small random helpers for the demo: choices, ranges, and a skewed popularity (Zipf-like). */

export const chance = (p: number) => Math.random() < p;

export const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/** A weighted choice: `weighted({ a: 3, b: 1 })` is "a" three times as often as "b". */
export function weighted<K extends string>(weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  let r = Math.random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    r -= w;
    if (r <= 0) return k;
  }
  return entries[entries.length - 1][0];
}

/**
 * An id in 1..n where low ids are much more popular (a few hot documents and users, a long
 * tail): what makes a real cache's hit rate high but not 100 %.
 */
export function popular(n: number, skew = 1.6): number {
  return Math.min(n, 1 + Math.floor(n * Math.random() ** skew * Math.random()));
}

export const hex = (bytes: number) =>
  Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, "0")).join("");

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
