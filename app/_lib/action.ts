/**
 * The frame of every server action: check the role on the server, validate input with zod,
 * run, and return `{ ok, data }` or `{ ok: false, error }` for `useActionState` / callers.
 * Never throws to the client; Redis down becomes a readable error.
 */
import { headers } from "next/headers";
import type { z } from "zod";
import { type AuditNote, type AuditSpec, audited } from "./audited.ts";
import { auditForbidden } from "./forbidden-audit.ts";
import { publicError } from "./http.ts";
import { currentPrincipal, hasRole, type Principal, type UserRole } from "./principal.ts";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; status: number };

export function action<S extends z.ZodType, T>(
  role: UserRole,
  schema: S,
  fn: (input: z.infer<S>, principal: Principal, note: AuditNote) => Promise<T>,
  /** `audit`: the mutation's audit entry, recorded on success and on failure (./audited.ts). */
  opts: { audit?: AuditSpec<z.infer<S>> } = {},
) {
  const wrapped = async (input: unknown): Promise<ActionResult<T>> => {
    const principal = await currentPrincipal();
    if (!principal) return { ok: false, error: "Your session has ended: sign in again", status: 401 };
    if (!hasRole(principal, role)) {
      const path = (await headers()).get("x-requeue-path") ?? "";
      await auditForbidden(principal, path.split("?")[0], `A server action needs the ${role} role`);
      return { ok: false, error: `This needs the ${role} role`, status: 403 };
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false,
        error: parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
        status: 400,
      };
    }
    try {
      const data = await audited(principal, opts.audit, parsed.data, (note) =>
        fn(parsed.data, principal, note),
      );
      return { ok: true, data };
    } catch (err) {
      const known = publicError(err);
      if (known) return { ok: false, error: known.message, status: known.status };
      console.error("[action] unexpected error:", (err as Error)?.message ?? String(err));
      return { ok: false, error: "Something went wrong; nothing was changed", status: 500 };
    }
  };
  return Object.assign(wrapped, { role });
}
