/**
 * The `.env` files, read the same way by every Requeue process: `npm start`, the worker, the CLI
 * and the console (which Next.js also feeds from the same files).
 *
 * The rule is Next.js's for `next start`, so the console and the rest can never disagree:
 * - files, first one wins: `.env.production.local`, `.env.local`, `.env.production`, `.env`
 *   (under NODE_ENV=test: `.env.test.local`, `.env.test`, `.env`), in the working directory;
 * - the real environment wins over every file (a variable already set is never replaced);
 * - `KEY=value` lines, optional `export `, `#` comments, values in '…', "…" (where \n is a newline)
 *   or `…` quotes, which may span lines; `$NAME` and `${NAME}` are replaced by that variable
 *   (`${NAME:-fallback}` when it is unset), `\$` is a literal dollar.
 * A file larger than 256 KB is refused: it is a configuration file, not data.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

const MAX_FILE_BYTES = 256 * 1024;

/** The files the console reads in production (Next.js's order: the first to set a name wins). */
export function envFileNames(nodeEnv: string | undefined): string[] {
  const mode = nodeEnv === "test" ? "test" : "production";
  return [`.env.${mode}.local`, ...(mode === "test" ? [] : [".env.local"]), `.env.${mode}`, ".env"];
}

// One assignment: name, then a quoted value (may span lines) or the rest of the line up to a comment.
// Bounded: names up to 256 characters, quoted values up to 8 KB, files up to 256 KB (an operator's
// file, yet a stray quote must not make start-up crawl).
const LINE =
  /^[ \t]*(?:export[ \t]+)?([\w.-]{1,256})[ \t]*=[ \t]*('(?:\\'|[^']){0,8192}'|"(?:\\"|[^"]){0,8192}"|`(?:\\`|[^`]){0,8192}`|[^#\n]*)[ \t]*(?:#[^\n]*)?$/gm;

/** Parses a .env text into name → raw value (before $ expansion), like Next.js's dotenv. */
export function parseEnvText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const source = text.replace(/\r\n?/g, "\n");
  for (const m of source.matchAll(LINE)) {
    let value = m[2].trim();
    const quote = value[0];
    if ((quote === "'" || quote === '"' || quote === "`") && value.endsWith(quote) && value.length > 1) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    }
    out[m[1]] = value;
  }
  return out;
}

/** Replaces $NAME, ${NAME} and ${NAME:-fallback} (one pass, left to right); `\$` stays a `$`. */
export function expandValue(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(
    /\\\$|\$\{(\w{1,256})(?::-([^}\\]{0,4096}))?\}|\$(\w{1,256})/g,
    (whole, braced?: string, fallback?: string, bare?: string) => {
      if (whole === "\\$") return "$";
      const name = braced ?? bare ?? "";
      return lookup(name) || fallback || "";
    },
  );
}

export interface LoadedEnvFiles {
  /** The files found and read, in the order they were applied. */
  files: string[];
  /** The variables a file set (the environment had none of them). */
  fromFiles: string[];
}

/**
 * Applies the .env files of `dir` to `env` (by default this process's environment); a variable
 * already set is kept. Safe to call again: what the first call set then counts as set.
 */
export function loadEnvFiles(env: Env = process.env, dir = process.cwd()): LoadedEnvFiles {
  const files: string[] = [];
  const parsed: Record<string, string> = {};
  for (const name of envFileNames(env.NODE_ENV)) {
    const text = readEnvFile(join(dir, name));
    if (text === undefined) continue;
    files.push(name);
    for (const [key, value] of Object.entries(parseEnvText(text))) if (!(key in parsed)) parsed[key] = value;
  }
  const fromFiles: string[] = [];
  for (const [key, raw] of Object.entries(parsed)) {
    if (env[key] !== undefined) continue;
    env[key] = expandValue(raw, (name) => env[name] ?? parsed[name]);
    fromFiles.push(key);
  }
  return { files, fromFiles };
}

function readEnvFile(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_FILE_BYTES) throw new Error(`${path} is larger than 256 KB: not read`);
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
