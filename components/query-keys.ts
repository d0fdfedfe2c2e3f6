/**
 * Every React Query key the console uses, in one place, so an action can invalidate exactly
 * what it changed (`invalidateQueries({ queryKey: qk.deadLetters.all })`).
 */
import type { DeadLetterFilters } from "./dead-letters/filters.ts";

export const qk = {
  health: ["health"] as const,
  alertsFiring: ["alerts", "firing"] as const,
  queues: {
    all: ["queues"] as const,
    light: ["queues", { series: false }] as const,
    one: (queue: string) => ["queues", queue] as const,
    history: (queue: string, range: string) => ["queues", queue, "history", range] as const,
  },
  deadLetters: {
    all: ["dead-letters"] as const,
    list: (f: DeadLetterFilters) => ["dead-letters", "list", f] as const,
    groups: (f: DeadLetterFilters) => ["dead-letters", "groups", f] as const,
    count: (f: DeadLetterFilters) => ["dead-letters", "count", f] as const,
    one: (queue: string, id: string) => ["dead-letters", "entry", queue, id] as const,
  },
  bulk: (id: string) => ["bulk", id] as const,
};

/** How often live data refreshes. */
export const POLL_MS = 5_000;
export const FAST_POLL_MS = 1_000;
