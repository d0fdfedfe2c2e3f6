/**
 * Secret redaction: applied to error messages and stacks when a failure is recorded, so a
 * dead letter never stores a credential that leaked into an exception (not only hidden when
 * displayed). Pure; the cache and the console import it too.
 *
 * Covers bearer/basic tokens, passwords in URLs, `key=secret` / `"key": "secret"` /
 * `key: secret` pairs for sensitive key names (also inside JSON-escaped strings), Cookie and
 * X-Api-Key headers, AWS access key ids and secret keys, JWTs, PEM private key blocks, and the
 * prefixed tokens of GitHub, Slack, Stripe, Google and OpenAI. test/redaction-corpus.test.ts
 * holds the corpus it is tested against.
 */

export const REDACTED = "[REDACTED]";

const SENSITIVE =
  "password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|access[_-]?token|refresh[_-]?token|private[_-]?key|client[_-]?secret|auth|authorization|credentials?|session[_-]?id|cookie";

const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM private key blocks, whole or cut off by the message bound.
  [
    /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}`,
  ],
  // Prefixed tokens: GitHub, Slack, Stripe secret/restricted/webhook keys, Google API keys, OpenAI.
  [
    /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abeprs]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|sk-(?:proj-)?[A-Za-z0-9_-]{20,})/g,
    REDACTED,
  ],
  // Slack incoming webhook URLs: the path is the secret.
  [/(hooks\.slack\.com\/services\/)[A-Za-z0-9/_-]+/gi, (_m, head) => `${head}${REDACTED}`],
  // Cookie / Set-Cookie / X-Api-Key / X-Auth-Token headers: the rest of the line.
  [
    /\b((?:set-)?cookie|x-api-key|x-auth-token)(\s*:\s*)[^\r\n]+/gi,
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
  ],
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
    // (the value may hold escaped characters: \" does not end it)
    new RegExp(`(["']?[\\w-]*(?:${SENSITIVE})[\\w-]*["']?\\s*:\\s*)(["'])(?:\\\\.|(?!\\2)[^\\\\])*\\2`, "gi"),
    (_m, head, quote) => `${head}${quote}${REDACTED}${quote}`,
  ],
  // \"key\": \"value\" — the same inside a JSON-encoded string (an error quoting JSON.stringify output)
  [
    new RegExp(`(\\\\"[\\w-]*(?:${SENSITIVE})[\\w-]*\\\\"\\s*:\\s*\\\\")(?:(?!\\\\").)*(\\\\")`, "gi"),
    (_m, head, tail) => `${head}${REDACTED}${tail}`,
  ],
  // key=value pairs for sensitive key names (query strings, env dumps, log lines), the value
  // possibly quoted, or quoted with escaped quotes inside a JSON string
  [
    new RegExp(
      `\\b([\\w-]*(?:${SENSITIVE})[\\w-]*\\s*=\\s*)(\\\\"(?:(?!\\\\").)*\\\\"|"[^"]*"|'[^']*'|[^\\s&;,'"]+)`,
      "gi",
    ),
    (_m, head) => `${head}${REDACTED}`,
  ],
  // key: value (YAML, log lines) for sensitive key names, unquoted values only (quoted ones are
  // handled above); an auth scheme or an already redacted value is left for the other rules
  [
    new RegExp(
      `\\b([\\w-]*(?:${SENSITIVE})[\\w-]*:[ \\t]*)(?!\\[REDACTED\\]|(?:Bearer|Basic|Token)\\b|["'\\\\])([^\\s"',;]+)`,
      "gi",
    ),
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
