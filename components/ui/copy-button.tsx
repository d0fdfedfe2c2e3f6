"use client";
/** Copies a value (an id, a fingerprint) to the clipboard and says so for a moment. */
import { useState } from "react";

function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
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
      {copied ? (
        "✓"
      ) : (
        <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <rect
            x="5"
            y="5"
            width="9"
            height="9"
            rx="1.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
          />
          <path d="M3 11V3a1 1 0 0 1 1-1h7" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}
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
