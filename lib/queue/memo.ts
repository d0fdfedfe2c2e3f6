/**
 * A bounded memo for the failure path: failures repeat (the same code path throws again, the
 * same stack frames, the same error group), and what is derived from their text — redaction,
 * stack frames, fingerprints — is pure and costs regular expressions over kilobytes. At most
 * `max` results are kept; past that they are forgotten all at once (no bookkeeping per hit).
 */
export function memo<V>(max: number, derive: (key: string) => V): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      if (kept.size >= max) kept.clear();
      value = derive(key);
      kept.set(key, value);
    }
    return value;
  };
}
