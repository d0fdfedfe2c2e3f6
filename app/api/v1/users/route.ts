/**
 * GET /api/v1/users — console users (admin). POST — create one: {email, name?, role, password?}.
 * Passwords are hashed by lib/auth; no response ever contains a password or its hash.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { createUser, listUsers } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";

const newUserBody = z.object({
  email: z.string().trim().min(3).max(254),
  name: z.string().trim().max(120).optional(),
  role: z.enum(["admin", "viewer"]),
  password: z.string().min(8).max(200).optional(),
});

export const GET = route({ role: "admin" }, async () => ({ users: await listUsers(consoleRedis()) }));

export const POST = route(
  { role: "admin", body: newUserBody, audit: { action: "user.create", target: ({ body }) => body.email } },
  async ({ body, note }) => {
    const user = await createUser(consoleRedis(), body);
    note({ target: user.email, detail: `role ${user.role}` });
    return Response.json({ user }, { status: 201 });
  },
);
