/**
 * The one colour meaning per state, used everywhere: dead, retrying, ok, paused (and neutral). Each badge
 * carries a symbol and a word as well, so colour is never the only signal.
 */
import type { ReactNode } from "react";

export type Tone = "dead" | "retry" | "ok" | "neutral" | "paused";

const SYMBOL: Record<Tone, string> = { dead: "✕", retry: "↻", ok: "✓", neutral: "•", paused: "‖" };

export function StateBadge({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      <span aria-hidden="true">{SYMBOL[tone]}</span> {children}
    </span>
  );
}
