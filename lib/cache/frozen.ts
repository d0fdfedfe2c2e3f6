/**
 * The near cache's copies (near.ts). Values come from JSON.parse: plain objects, arrays and
 * primitives only. A `frozen` namespace (runtime.ts) shares one deep-frozen value, which no caller
 * can change; any other gets its own copy per hit.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  return value;
}

/**
 * A deep copy of a JSON value, equal to JSON.parse(JSON.stringify(value)) but about 3× faster
 * than parsing (measured on a ~300 B record). A "__proto__" key stays an own property, as
 * JSON.parse makes it, instead of setting the copy's prototype.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    if (k === "__proto__")
      Object.defineProperty(out, k, {
        value: cloneJson(src[k]),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    else out[k] = cloneJson(src[k]);
  }
  return out as T;
}
