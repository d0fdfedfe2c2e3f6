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

const zipfTables = new Map<string, Float64Array>();

/**
 * An id in 1..n with Zipf popularity (exponent s): a few hot documents and users, a long tail.
 * That is what makes a real cache's hit rate high but not 100 %.
 */
export function popular(n: number, s = 1.2): number {
  const key = `${n}:${s}`;
  let cdf = zipfTables.get(key);
  if (!cdf) {
    cdf = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cdf[i] = acc += 1 / (i + 1) ** s;
    zipfTables.set(key, cdf);
  }
  const r = Math.random() * cdf[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

export const hex = (bytes: number) =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, "0"),
  ).join("");

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
