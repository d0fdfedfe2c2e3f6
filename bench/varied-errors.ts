/**
 * Failures as real handlers throw them, for the failing-path benches: a few error classes,
 * messages carrying ids and numbers, and stacks of varied depth through differently named
 * frames. Throwing one fixed `new Error("boom")` would let every cache on the failure path
 * (redaction, fingerprint) hit every time; these vary like production failures do, while still
 * falling into a bounded number of groups (class + message shape).
 */

class ValidationError extends Error {
  override name = "ValidationError";
}
class UpstreamError extends Error {
  override name = "UpstreamError";
}

const hex = (i: number) => ((i * 2654435761) >>> 0).toString(16).padStart(8, "0");

const makers: ((i: number) => Error)[] = [
  (i) =>
    new UpstreamError(
      `GET https://api.example.com/orders/${hex(i)} returned 503 after ${100 + (i % 900)} ms`,
    ),
  (i) =>
    new ValidationError(`field "amount" of order ${hex(i)}-${i} must be >= 0 (got -${i % 97}.${i % 10})`),
  (i) => new TypeError(`Cannot read properties of undefined (reading 'customer_${i % 13}')`),
  (i) => new RangeError(`page ${i % 5000} out of range 1..${i % 50}`),
  (i) => new Error(`QUOTA EXCEEDED for tenant ${hex(i * 7)}: ${i % 1000}/1000 requests`),
];

// Differently named frames so stacks differ in depth and content, as they do across code paths.
function viaParse(i: number, depth: number): never {
  return depth > 0 ? viaFetch(i, depth - 1) : fail(i);
}
function viaFetch(i: number, depth: number): never {
  return depth > 0 ? viaRender(i, depth - 1) : fail(i);
}
function viaRender(i: number, depth: number): never {
  return depth > 0 ? viaParse(i, depth - 1) : fail(i);
}
function fail(i: number): never {
  throw makers[i % makers.length](i);
}

let calls = 0;

/** Throws the next varied failure (call it from a handler; its stack includes the handler). */
export function throwVaried(): never {
  const i = calls++;
  return viaParse(i, 1 + (i % 9));
}
