"use client";
/** Copies a value (an id, a fingerprint) to the clipboard and says so for a moment. */
import { useState } from "react";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard refused (insecure context): select-and-copy by hand still works on the text.
      return;
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  }
  return (
    <button
      type="button"
      className="copy"
      onClick={copy}
      aria-label={`${label} ${value}`}
      title={copied ? "Copied" : `${label} to clipboard`}
    >
      {copied ? "✓" : "⧉"}
    </button>
  );
}

/** An id in monospace with its copy button. */
export function MonoId({ value, short }: { value: string; short?: number }) {
  const shown = short && value.length > short ? `${value.slice(0, short)}…` : value;
  return (
    <span className="mono-id">
      <code title={value}>{shown}</code>
      <CopyButton value={value} label="Copy" />
    </span>
  );
}
