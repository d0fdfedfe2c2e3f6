/**
 * The `audit` option of route() and action(): a mutation names its audit action and target once,
 * and the frame records the entry — outcome "ok" with what the handler noted (`note({ detail })`)
 * when it returns, outcome "error" with the message when it throws (the error still propagates).
 * Failures before the handler runs (sign-in, role, bad input) are the frame's, not audited here.
 */
import { type AuditDetails, audit } from "#lib/auth/audit.ts";
import type { Principal } from "./principal.ts";

export interface AuditSpec<I> {
  /** e.g. "cache.flush" */
  action: string;
  /** what the entry names, from the validated input */
  target: (input: I, principal: Principal) => string;
}

/** Adds to the success entry: a count, a detail, or a target better than the input's. */
export type AuditNote = (details: AuditDetails) => void;

export async function audited<I, R>(
  principal: Principal,
  spec: AuditSpec<I> | undefined,
  input: I,
  run: (note: AuditNote) => Promise<R>,
): Promise<R> {
  const noted: AuditDetails = {};
  const note: AuditNote = (d) => Object.assign(noted, d);
  if (!spec) return run(note);
  const target = spec.target(input, principal);
  let result: R;
  try {
    result = await run(note);
  } catch (err) {
    await audit(principal, spec.action, { target, outcome: "error", detail: (err as Error)?.message });
    throw err;
  }
  await audit(principal, spec.action, { target, ...noted });
  return result;
}
