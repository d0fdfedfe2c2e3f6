/**
 * How to sign in, kept under the data directory: the session secret and the first admin
 * (from ADMIN_EMAIL/ADMIN_PASSWORD, else generated once), and the box `npm start` prints once
 * the console answers — every run, after the build's output, so it is the last thing to read.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FirstAdmin {
  email: string;
  password: string;
  /** "env": ADMIN_PASSWORD was set; "new": generated on this run; "kept": generated earlier. */
  origin: "env" | "new" | "kept";
}

export const adminCredentialsFile = (dataDir: string) => join(dataDir, "admin-credentials.json");

/** A secret for next-auth sessions that survives restarts, kept under the data directory. */
export function sessionSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  const file = join(dataDir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** The generated admin credentials, if a first run made them. */
export function keptAdmin(dataDir: string): { email: string; password: string } | undefined {
  const file = adminCredentialsFile(dataDir);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/** The first admin: from the environment, else generated once and kept under the data directory. */
export function firstAdmin(env: NodeJS.ProcessEnv, dataDir: string): FirstAdmin {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD)
    return { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, origin: "env" };
  const kept = keptAdmin(dataDir);
  if (kept) return { ...kept, origin: "kept" };
  mkdirSync(dataDir, { recursive: true });
  const creds = { email: "admin@localhost", password: randomBytes(12).toString("base64url") };
  writeFileSync(adminCredentialsFile(dataDir), JSON.stringify(creds), { mode: 0o600 });
  return { ...creds, origin: "new" };
}

/** The lines of the sign-in box (without the frame). A kept password is never printed again. */
export function signInLines(url: string, admin: FirstAdmin, dataDir: string): string[] {
  const file = adminCredentialsFile(dataDir);
  const lines = [`console: ${url}   (Ctrl-C stops everything)`];
  if (admin.origin === "env") lines.push(`sign in as ${admin.email} with the password in ADMIN_PASSWORD`);
  else if (admin.origin === "new")
    lines.push(
      `sign in as ${admin.email} with password ${admin.password}`,
      `  (generated on this first run and kept in ${file})`,
    );
  else
    lines.push(
      `sign in as ${admin.email}`,
      `  password: generated on the first run, kept in ${file}`,
      "  print it: npm run admin-password",
    );
  return lines;
}

/** Draws lines in a box. */
export function boxed(lines: string[]): string[] {
  const width = Math.max(...lines.map((l) => l.length));
  return [
    `┌${"─".repeat(width + 2)}┐`,
    ...lines.map((l) => `│ ${l.padEnd(width)} │`),
    `└${"─".repeat(width + 2)}┘`,
  ];
}

/** Resolves once something answers HTTP at url (any status), or after `ms`. */
export async function consoleAnswers(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
