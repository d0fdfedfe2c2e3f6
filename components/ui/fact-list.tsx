/** A detail page's facts as a definition list: one row per label and value (job and dead-letter pages). */
import type { ReactNode } from "react";

export type Fact = [label: string, value: ReactNode];

export function FactList({ rows, testId }: { rows: Fact[]; testId?: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
