/**
 * Everything the CLI prints goes through here: results on stdout (a table or text for people,
 * one JSON document with --json), errors and progress on stderr. Progress rewrites one line on
 * a terminal and prints a line at most once a second otherwise, so logs stay short.
 */
import type { CliError } from "./errors.ts";

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
    if (this.json) this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else {
      const text = human();
      if (text) this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
  }

  /** A note for people (stderr, so stdout stays clean for pipes); silent with --json. */
  info(line: string) {
    if (!this.json) this.stderr.write(`${line}\n`);
  }

  error(err: CliError) {
    if (this.json) {
      this.stderr.write(`${JSON.stringify({ error: { code: err.code, message: err.message } })}\n`);
      return;
    }
    this.stderr.write(`requeue: ${err.message}\n`);
    if (err.hint) this.stderr.write(`${err.hint}\n`);
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
  const cells = rows.map((r) => columns.map((c) => String(c.value(r))));
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
