/**
 * PATCH /api/v1/users/:email — change role and/or password (admin). DELETE — remove the user.
 * Both take effect on the user's next request: sessions re-read the user record every time; the
 * user's cache entries (tag `user:<email>`) are invalidated, so nothing cached under the old role
 * is served.
 */
import { z } from "zod";
import { audit, deleteUser, getUser, setUserPassword, setUserRole } from "#lib/auth/index";
import { getRedis } from "#lib/redis/connection";
import { badRequest, route } from "@/app/_lib/http.ts";
import { invalidateUserEntries } from "@/app/api/v1/cache/_ops.ts";

export const dynamic = "force-dynamic";

const redis = () => getRedis("console", { failFast: true });
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
        const u = await setUserRole(redis(), params.email, body.role);
        const cache = await invalidateUserEntries(u.email);
        await audit(principal, "user.role", { target: params.email, detail: `role ${body.role}; ${cache}` });
      }
      if (body.password) {
        await setUserPassword(redis(), params.email, body.password);
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
    return { user: await getUser(redis(), params.email) };
  },
);

export const DELETE = route({ role: "admin", params }, async ({ params, principal }) => {
  try {
    await deleteUser(redis(), params.email);
  } catch (err) {
    await audit(principal, "user.delete", {
      target: params.email,
      outcome: "error",
      detail: (err as Error).message,
    });
    throw err;
  }
  await audit(principal, "user.delete", {
    target: params.email,
    detail: await invalidateUserEntries(params.email),
  });
  return { deleted: params.email };
});
