/**
 * Refused requests (403) in the audit log: every place that answers 403 — route handlers
 * (app/_lib/http.ts), server actions (app/_lib/action.ts), pages (requirePrincipal) — records it
 * here, aggregated per principal, path and hour in the log of refused requests
 * (lib/auth/audit-refused.ts), so a viewer probing admin routes is visible without flooding.
 */
import { cache } from "react";
import { auditRefused } from "#lib/auth/index.ts";
import type { Principal } from "./roles.ts";

export function auditForbidden(
  principal: Principal | null,
  where: string,
  reason: string,
  ip?: string,
): Promise<boolean> {
  return auditRefused(
    principal ?? { id: "anonymous" },
    "request.forbidden",
    { target: where, detail: reason, ip: principal?.ip ?? ip },
    { aggregate: true },
  );
}

/** A page: the layout and the page both check the role, so one request is recorded once. */
export const auditForbiddenPage = cache((principal: Principal, path: string, reason: string) =>
  auditForbidden(principal, path, reason),
);
