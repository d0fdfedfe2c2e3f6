/**
 * The demo's viewer account, so a newcomer can see what a read-only user sees. Credentials come
 * from DEMO_VIEWER_EMAIL / DEMO_VIEWER_PASSWORD, or a password is generated once and kept in the
 * data directory (like the admin's). Never overwrites an existing user.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createUser, getUser } from "../../lib/auth/users.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { DemoSettings } from "./settings.ts";

export interface ViewerCredentials {
  email: string;
  /** shown only when this run created the account with it */
  password: string | undefined;
  status: "created" | "exists";
  where?: string;
}

function storedPassword(email: string): { password: string; where: string } {
  const dir = resolve(process.env.REQUEUE_DATA_DIR ?? ".data");
  const file = join(dir, "demo-viewer-credentials.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { email: string; password: string };
    if (saved.email === email) return { password: saved.password, where: file };
  }
  mkdirSync(dir, { recursive: true });
  const password = randomBytes(12).toString("base64url");
  writeFileSync(file, JSON.stringify({ email, password }), { mode: 0o600 });
  return { password, where: file };
}

export async function ensureViewer(redis: RedisClient, s: DemoSettings): Promise<ViewerCredentials> {
  const email = s.DEMO_VIEWER_EMAIL;
  if (await getUser(redis, email)) {
    return { email, password: undefined, status: "exists" };
  }
  const fromEnv = s.DEMO_VIEWER_PASSWORD;
  const { password, where } = fromEnv ? { password: fromEnv, where: undefined } : storedPassword(email);
  try {
    await createUser(redis, { email, password, role: "viewer", name: "Demo viewer" });
  } catch (err) {
    if ((err as { code?: string }).code === "CONFLICT")
      return { email, password: undefined, status: "exists" };
    throw err;
  }
  return { email, password: fromEnv ? undefined : password, status: "created", where };
}
