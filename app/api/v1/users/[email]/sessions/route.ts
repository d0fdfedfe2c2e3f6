/**
 * DELETE /api/v1/users/:email/sessions — sign the user out everywhere (admin): every session of
 * theirs ends at its next request (lib/auth/users.ts `endSessions`). Their API tokens stay; revoke
 * those with DELETE /api/v1/tokens/:id. Audited as `user.signout`.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { endSessions } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";

const params = z.object({ email: z.string().min(3).max(254) });

export const DELETE = route(
  { role: "admin", params, audit: { action: "user.signout", target: ({ params }) => params.email } },
  async ({ params, note }) => {
    await endSessions(consoleRedis(), params.email);
    note({ detail: "every session ended" });
    return { signedOut: params.email };
  },
);
