/**
 * PATCH /api/v1/users/:email — change role and/or password (admin). DELETE — remove the user.
 * Both end the user's sessions at their next request (lib/auth/users.ts session version); taking
 * away the admin role or deleting also revokes the API tokens the user created; the user's cache
 * entries (tag `user:<email>`) are invalidated, so nothing cached under the old role is served.
 */
import { z } from "zod";
import { badRequest, route } from "#app/_lib/http.ts";
import { invalidateUserEntries } from "#app/_lib/ops/cache.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { audit, deleteUser, getUser, revokedNote, setUserPassword, setUserRole } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";

const params = z.object({ email: z.string().min(3).max(254) });
const patchBody = z.object({
  role: z.enum(["admin", "viewer"]).optional(),
  password: z.string().min(8).max(200).optional(),
});

export const PATCH = route(
  { role: "admin", params, body: patchBody },
  async ({ params, body, principal }) => {
    if (!body.role && !body.password) throw badRequest("Send a role, a password, or both");
    try {
      if (body.role) {
        const u = await setUserRole(consoleRedis(), params.email, body.role);
        const cache = await invalidateUserEntries(u.email);
        await audit(principal, "user.role", {
          target: params.email,
          detail: `role ${body.role}; ${revokedNote(u)}${cache}`,
        });
      }
      if (body.password) {
        await setUserPassword(consoleRedis(), params.email, body.password);
        await audit(principal, "user.password", { target: params.email });
      }
    } catch (err) {
      await audit(principal, "user.update", {
        target: params.email,
        outcome: "error",
        detail: (err as Error).message,
      });
      throw err;
    }
    return { user: await getUser(consoleRedis(), params.email) };
  },
);

export const DELETE = route(
  { role: "admin", params, audit: { action: "user.delete", target: ({ params }) => params.email } },
  async ({ params, note }) => {
    const change = await deleteUser(consoleRedis(), params.email);
    note({ detail: `${revokedNote(change)}${await invalidateUserEntries(params.email)}` });
    return { deleted: params.email };
  },
);
