/**
 * Safe by default when deployed: docker-compose.yml ships no usable secret and publishes the
 * console on loopback only, the image leaves secrets and local data out, and the built console
 * refuses to start with a weak or missing NEXTAUTH_SECRET.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./harness/index.ts";

const REQUIRED = ["NEXTAUTH_SECRET", "ADMIN_PASSWORD", "REDIS_PASSWORD"] as const;
const GOOD = {
  NEXTAUTH_SECRET: "Vq3m9XrT0bLw7KpZ2dYh5NfC8sGj1uEa",
  ADMIN_PASSWORD: "q8ZkT2mW4xLp9Rv3",
  REDIS_PASSWORD: "4f0c7d1e9a2b6c3d8e5f0a1b2c3d4e5f",
};

/** `docker compose` (v2 plugin) or `docker-compose` (v1), whichever answers; undefined when neither. */
function composeCommand(): string[] | undefined {
  for (const cmd of [["docker", "compose"], ["docker-compose"]]) {
    const r = spawnSync(cmd[0], [...cmd.slice(1), "version"], { stdio: "ignore" });
    if (r.status === 0) return cmd;
  }
  return undefined;
}

const compose = composeCommand();
const scratch = mkdtempSync(join(tmpdir(), "requeue-deploy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `compose config` on the repository's file with exactly `vars` set (no .env file is read). */
function composeConfig(vars: Record<string, string>) {
  const envFile = join(scratch, "empty.env");
  writeFileSync(envFile, "");
  // Only PATH and HOME from this process: a secret set in the caller's shell must not leak in.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...vars } as unknown as NodeJS.ProcessEnv;
  const [cmd, ...pre] = compose ?? [];
  const r = spawnSync(cmd, [...pre, "--env-file", envFile, "-f", "docker-compose.yml", "config"], {
    env,
    encoding: "utf8",
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!compose)(
  `docker-compose.yml (${compose ? compose.join(" ") : "skipped: neither `docker compose` nor `docker-compose` is installed"})`,
  () => {
    it.each(REQUIRED)("refuses to render without %s, saying how to make one", (name) => {
      const vars: Record<string, string> = { ...GOOD };
      delete vars[name];
      const r = composeConfig(vars);
      expect(r.status).not.toBe(0);
      expect(r.output).toContain(name);
      expect(r.output).toContain("openssl rand");
    });

    it("renders with them, publishes the console on 127.0.0.1 only, and holds no default secret", () => {
      const r = composeConfig(GOOD);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toMatch(/127\.0\.0\.1:3000:3000|host_ip: 127\.0\.0\.1/);
      expect(r.output).not.toMatch(/(^|[^.\d])0\.0\.0\.0:3000|- "?3000:3000/m);
      expect(r.output).not.toMatch(/change-me|:requeue@/);
      for (const value of Object.values(GOOD)) expect(r.output).toContain(value);
    });

    it("publishes the console on another address only when the operator says so (CONSOLE_BIND)", () => {
      const r = composeConfig({ ...GOOD, CONSOLE_BIND: "0.0.0.0" });
      expect(r.status, r.output).toBe(0);
      expect(r.output).toMatch(/0\.0\.0\.0:3000:3000|host_ip: 0\.0\.0\.0/);
    });
  },
);

describe(".dockerignore", () => {
  const lines = readFileSync(".dockerignore", "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("leaves out every .env file, local data and test output, and lets none back in", () => {
    for (const pattern of [".env*", ".data", "test-results", "playwright-report", "coverage", ".next"])
      expect(lines, pattern).toContain(pattern);
    expect(lines.filter((l) => l.startsWith("!"))).toEqual([]);
  });

  it("is honoured by a Dockerfile that copies only what the build needs into the image it runs", () => {
    const dockerfile = readFileSync("Dockerfile", "utf8");
    expect(dockerfile).not.toMatch(/\.env|\.data|NEXTAUTH_SECRET|ADMIN_PASSWORD|REDIS_PASSWORD/);
  });
});

describe.skipIf(!existsSync(".next/BUILD_ID"))(
  "the built console (skipped: run `npx next build` first)",
  () => {
    /** `next start` with the given NEXTAUTH_SECRET (undefined: unset); its exit code and output. */
    async function startConsole(secret: string | undefined) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        REDIS_URL: "redis://127.0.0.1:1",
        NEXT_TELEMETRY_DISABLED: "1",
      };
      delete env.NEXTAUTH_SECRET;
      if (secret !== undefined) env.NEXTAUTH_SECRET = secret;
      const port = await freePort();
      const proc = spawn(
        process.execPath,
        ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
        {
          env,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let output = "";
      proc.stdout?.on("data", (d) => (output += d));
      proc.stderr?.on("data", (d) => (output += d));
      const timer = setTimeout(() => proc.kill("SIGKILL"), 45_000);
      const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
      clearTimeout(timer);
      return { code, output };
    }

    it.each([
      ["a placeholder", "change-me-to-a-long-random-string"],
      ["a short one", "s3cr3t-but-short"],
      ["none", undefined],
    ])(
      "refuses to start with %s as NEXTAUTH_SECRET, naming it without echoing it",
      async (_kind, secret) => {
        const { code, output } = await startConsole(secret);
        expect(code).toBe(1);
        expect(output).toMatch(/NEXTAUTH_SECRET must be/);
        if (secret) expect(output).not.toContain(secret);
      },
      60_000,
    );
  },
);
