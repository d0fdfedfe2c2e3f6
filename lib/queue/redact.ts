/**
 * Secret redaction: applied to error messages and stacks when a failure is recorded, so a
 * dead letter never stores a credential that leaked into an exception (not only hidden when
 * displayed). Pure; the cache and the console import it too.
 *
 * Covers bearer/basic tokens, passwords in URLs, `key=secret` / `"key": "secret"` pairs for
 * sensitive key names, AWS access key ids and secret keys, and JWTs.
 */

export const REDACTED = "[REDACTED]";

const SENSITIVE =
  "password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|access[_-]?token|refresh[_-]?token|private[_-]?key|client[_-]?secret|auth|authorization|credentials?|session[_-]?id|cookie";

const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // JWT: three base64url parts, the first two starting with eyJ ('{"').
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, REDACTED],
  // Authorization: Bearer xxx / Basic xxx
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  // scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, (_m, head) => `${head}${REDACTED}@`],
  // AWS access key ids
  [/\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, REDACTED],
  // "key": "value" (JSON-ish) for sensitive key names
  [
    new RegExp(`(["']?[\\w-]*(?:${SENSITIVE})[\\w-]*["']?\\s*:\\s*)(["'])(?:(?!\\2).)*\\2`, "gi"),
    (_m, head, quote) => `${head}${quote}${REDACTED}${quote}`,
  ],
  // key=value pairs for sensitive key names (query strings, env dumps, log lines)
  [
    new RegExp(`\\b([\\w-]*(?:${SENSITIVE})[\\w-]*\\s*=\\s*)("[^"]*"|'[^']*'|[^\\s&;,'"]+)`, "gi"),
    (_m, head) => `${head}${REDACTED}`,
  ],
  // AWS secret access keys: 40 base64 characters standing alone (after the pairs above)
  [
    /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m) ? REDACTED : m),
  ],
];

/** Returns `text` with every secret it recognises replaced by [REDACTED]. */
export function redact(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) {
    out = out.replace(re, replacement as (substring: string, ...args: string[]) => string);
  }
  return out;
}
