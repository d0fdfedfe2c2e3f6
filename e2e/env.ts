/** Settings shared by the e2e server (e2e/serve.ts) and the tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_STATE_FILE = join(process.cwd(), ".data", "e2e", "state.json");

export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
export const E2E_VIEWER = { email: "viewer@e2e.test", password: "e2e-viewer-password-1" };
export const E2E_SECRET = "e2e-nextauth-secret-0123456789abcdef";

/** What e2e/serve.ts wrote: the isolated redis-server the app under test uses. */
export function e2eState(): { redisUrl: string; redisPort: number; redisDir: string; workerPid?: number } {
  return JSON.parse(readFileSync(E2E_STATE_FILE, "utf8"));
}
