/**
 * Everything the CLI prints goes through here: results on stdout (a table or text for people,
 * one JSON document with --json), errors and progress on stderr. Progress rewrites one line on
 * a terminal and prints a line at most once a second otherwise, so logs stay short.
 *
 * Results and errors carry stored text a job controls (error messages, stacks, payloads), so
 * they are printed with control characters escaped: a dead letter cannot drive the operator's
 * terminal (move the cursor, rewrite a line, set the title, reorder what is shown).
 */
import type { CliError } from "./errors.ts";

/**
 * What a terminal could act on: C0 controls except newline and tab, DEL, C1 controls (a C1 CSI
 * starts an escape sequence on some terminals), line/paragraph separators, and the
 * bidirectional marks, embeddings, overrides and isolates that reorder the text shown.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, "0");

/** `text` with each character a terminal could act on shown as an escape: "\x1b", "\u202e". */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** JSON text with the same characters as JSON escapes ("\u001b"): the same document, safe to print. */
export function printableJson(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
}

export interface Column<T> {
  title: string;
  value: (row: T) => string | number;
  align?: "left" | "right";
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** The command's result: `data` as JSON with --json, else the human text. */
  result(data: unknown, human: () => string) {
    if (this.json) this.stdout.write(`${printableJson(JSON.stringify(data, null, 2))}\n`);
    else {
      const text = printable(human());
      if (text) this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
  }

  /** A note for people (stderr, so stdout stays clean for pipes); silent with --json. */
  info(line: string) {
    if (!this.json) this.stderr.write(`${printable(line)}\n`);
  }

  error(err: CliError) {
    if (this.json) {
      const error = { code: err.code, message: err.message };
      this.stderr.write(`${printableJson(JSON.stringify({ error }))}\n`);
      return;
    }
    this.stderr.write(`requeue: ${printable(err.message)}\n`);
    if (err.hint) this.stderr.write(`${printable(err.hint)}\n`);
  }

  private lastProgress = 0;
  private progressShown = false;

  /** "requeued 1,200 / 5,000 (24%)" — throttled; call done() after the last one. */
  progress(line: string, force = false) {
    const tty = this.stderr.isTTY;
    if (this.json && !tty) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < (tty ? 100 : 1000)) return;
    this.lastProgress = now;
    this.progressShown = true;
    if (tty) this.stderr.write(`\r\x1b[2K${line}`);
    else this.stderr.write(`${line}\n`);
  }

  /** Ends the progress display; on a terminal the line is cleared (the summary follows). */
  progressDone() {
    if (this.progressShown && this.stderr.isTTY) this.stderr.write("\r\x1b[2K");
    this.progressShown = false;
  }
}

export function table<T>(rows: T[], columns: Column<T>[]): string {
  // escaped before the widths are measured, so the columns stay aligned
  const cells = rows.map((r) => columns.map((c) => printable(String(c.value(r)))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i].length)));
  const fmt = (row: string[]) =>
    row
      .map((cell, i) => (columns[i].align === "right" ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [fmt(columns.map((c) => c.title)), ...cells.map(fmt)].join("\n");
}

export const num = (n: number) => n.toLocaleString("en-US");

/** "3m ago", "2h ago", "5d ago" */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function cut(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export const percent = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined || Number.isNaN(ratio) ? "–" : `${(ratio * 100).toFixed(1)}%`;
