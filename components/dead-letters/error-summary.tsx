/**
 * An error as a line of text: the error class emphasised, then the message in the page's text
 * colour (a table of errors must read, not shout). A group's message is the fingerprint's
 * normalised form: its placeholders (`<n>`, `<uuid>`, …) are shown as small labelled tokens
 * ("number", "UUID") instead of angle brackets.
 */
import { Fragment } from "react";

const TOKEN_NAMES: Record<string, string> = {
  "<n>": "number",
  "<uuid>": "UUID",
  "<hex>": "hex",
  "<id>": "id",
};
const PLACEHOLDER = /<(?:n|uuid|hex|id)>/g;

/** The message split into text and placeholder tokens (a normalised message is at most 500 characters). */
interface Part {
  text: string;
  token: boolean;
  /** where the part starts in the message (a stable key) */
  at: number;
}

export function messageParts(message: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of message.slice(0, 2000).matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push({ text: message.slice(last, m.index), token: false, at: last });
    parts.push({ text: m[0], token: true, at: m.index });
    last = m.index + m[0].length;
  }
  if (last < Math.min(message.length, 2000))
    parts.push({ text: message.slice(last, 2000), token: false, at: last });
  return parts;
}

export function ErrorSummary({ name, message }: { name: string; message: string }) {
  return (
    <span className="error-summary">
      <strong className="error-class">{name}</strong>
      {message ? ": " : ""}
      {messageParts(message).map((p) =>
        p.token ? (
          <span key={p.at} className="placeholder-token" title={`varies: a ${TOKEN_NAMES[p.text]}`}>
            {TOKEN_NAMES[p.text]}
          </span>
        ) : (
          <Fragment key={p.at}>{p.text}</Fragment>
        ),
      )}
    </span>
  );
}
