/**
 * Lists sorted by time stay sorted whatever order their rows arrive in: a refetch, two writers
 * racing (two processes evaluating alerts push their transitions in the order they finish, not
 * the order they measured), or rows merged from several reads. Every time-sorted list of the
 * console renders through this rather than trusting the order it was given.
 */

/** A copy of the rows, newest first by `at`; equal times in a fixed order (by `tie`). */
export function newestFirst<T>(rows: readonly T[], at: (row: T) => number, tie: (row: T) => string): T[] {
  return [...rows].sort((a, b) => at(b) - at(a) || (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : 0));
}
