/** One alert's state: "Firing since 3 min ago" or "OK", with a symbol so colour is never alone. */

import { RelativeTime } from "#components/ui/relative-time.tsx";
import type { AlertState } from "#lib/alerts/types.ts";
import s from "./alerts.module.css";

export function AlertStateLabel({ state, since }: { state: AlertState; since: number | null }) {
  if (state === "firing")
    return (
      <span className={`${s.state} ${s.stateFiring}`} data-testid="alert-state" data-state="firing">
        <span aria-hidden="true">▲</span> Firing{" "}
        {since ? (
          <>
            since <RelativeTime ms={since} />
          </>
        ) : null}
      </span>
    );
  return (
    <span className={`${s.state} ${s.stateOk}`} data-testid="alert-state" data-state="ok">
      <span aria-hidden="true">✓</span> OK
    </span>
  );
}
