/**
 * The .env reader every process shares (lib/env-files.ts): Next.js's files and order, the real
 * environment first, and the dotenv syntax people write.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { envFileNames, expandValue, loadEnvFiles, parseEnvText } from "./env-files.ts";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "requeue-env-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("parseEnvText", () => {
  it("reads assignments, export, comments, quotes and multi-line values", () => {
    const text = [
      "# a comment",
      "PLAIN=7",
      "export EXPORTED=yes",
      "SPACED = some value   # trailing comment",
      "SINGLE='a # not a comment'",
      'DOUBLE="line1\\nline2"',
      'MULTI="first',
      'second"',
      "EMPTY=",
      "not an assignment",
      "WINDOWS=crlf\r",
    ].join("\n");
    expect(parseEnvText(text)).toEqual({
      PLAIN: "7",
      EXPORTED: "yes",
      SPACED: "some value",
      SINGLE: "a # not a comment",
      DOUBLE: "line1\nline2",
      MULTI: "first\nsecond",
      EMPTY: "",
      WINDOWS: "crlf",
    });
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: .env syntax, not a template
  it("expands $NAME, ${NAME} and ${NAME:-fallback}; \\$ is a dollar", () => {
    const look = (n: string) => ({ HOST: "db", PORT: "6379" })[n];
    // biome-ignore lint/suspicious/noTemplateCurlyInString: .env syntax, not a template
    expect(expandValue("redis://$HOST:${PORT}/0", look)).toBe("redis://db:6379/0");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: .env syntax, not a template
    expect(expandValue("${MISSING:-fallback}", look)).toBe("fallback");
    expect(expandValue("pa\\$\\$word", look)).toBe("pa$$word");
  });
});

describe("loadEnvFiles", () => {
  it("reads next start's files in its order: the first file to set a name wins, the environment over all", () => {
    const dir = project({
      ".env": "A=env\nB=env\nC=env\nD=env\nE=env\n",
      ".env.production": "A=production\nB=production\nC=production\n",
      ".env.local": "A=local\nB=local\n",
      ".env.production.local": "A=production.local\n",
    });
    const env: Record<string, string | undefined> = { E: "real" };
    const loaded = loadEnvFiles(env, dir);
    expect(env).toMatchObject({ A: "production.local", B: "local", C: "production", D: "env", E: "real" });
    expect(loaded.files).toEqual([".env.production.local", ".env.local", ".env.production", ".env"]);
    expect(loaded.fromFiles.sort()).toEqual(["A", "B", "C", "D"]);
  });

  it("under NODE_ENV=test reads .env.test.local, .env.test and .env, not .env.local (as Next.js does)", () => {
    expect(envFileNames("test")).toEqual([".env.test.local", ".env.test", ".env"]);
    const dir = project({ ".env.local": "A=local\n", ".env": "A=env\n" });
    const env: Record<string, string | undefined> = { NODE_ENV: "test" };
    loadEnvFiles(env, dir);
    expect(env.A).toBe("env");
  });

  it("expands from the environment first, then the files", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: .env syntax, not a template
    const dir = project({ ".env": "HOST=from-file\nPORT=1\nREDIS_URL=redis://${HOST}:${PORT}\n" });
    const env: Record<string, string | undefined> = { HOST: "from-env" };
    loadEnvFiles(env, dir);
    expect(env.REDIS_URL).toBe("redis://from-env:1");
  });

  it("no file: nothing changes", () => {
    const env: Record<string, string | undefined> = {};
    expect(loadEnvFiles(env, project({}))).toEqual({ files: [], fromFiles: [] });
    expect(env).toEqual({});
  });

  it("refuses a file over 256 KB", () => {
    const dir = project({ ".env": `A=${"x".repeat(300 * 1024)}\n` });
    expect(() => loadEnvFiles({}, dir)).toThrow(/larger than 256 KB/);
  });
});
