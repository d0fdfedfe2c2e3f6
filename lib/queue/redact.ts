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

/**
 * redact() reads at most this many characters and returns at most this many. Callers cut their
 * text to its stored bound (plus a margin) first; this is the backstop for any other caller.
 */
export const REDACT_INPUT_MAX = 8192;

/**
 * Every repetition below is bounded, and no two neighbouring repetitions can match the same
 * characters in more than a bounded number of ways, so each pattern is linear in the input (a
 * key name ran to the end of a 30 KB word and back for every letter before, issue 12). Sensitive
 * key names are matched from the sensitive word on: what comes before it in the key is kept as it
 * is anyway, and a match starting there cannot rescan the word. Secret values run up to
 * REDACT_INPUT_MAX (more than any input), and a quoted value cut off by a bound counts as closed.
 */
const SENSITIVE =
  "(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|access[_-]?token|refresh[_-]?token|private[_-]?key|client[_-]?secret|auth|authorization|credentials?|session[_-]?id|cookie)";
/** The rest of a key name after its sensitive word (key names are short). */
const KEY_REST = "[\\w-]{0,64}";
const SP = "\\s{0,16}";
const N = REDACT_INPUT_MAX;
const V = `{0,${N}}`;
const V1 = `{1,${REDACT_INPUT_MAX}}`;

type Replacement = string | ((...m: string[]) => string);
/**
 * A literal every match of a rule contains (`text`: as is; `lower`: lower-cased, for the rules
 * that ignore case, where only ASCII letters match ASCII letters): a text without it cannot match,
 * so the rule's pass over it is skipped. Most failure messages hold none of them.
 */
type Gate = (text: string, lower: string) => boolean;
const anyOf =
  (words: string[], lowered = true): Gate =>
  (text, lower) =>
    words.some((w) => (lowered ? lower : text).includes(w));
/** Every sensitive key name above contains one of these. */
const SENSITIVE_GATE = anyOf([
  "pass",
  "pwd",
  "secret",
  "token",
  "key",
  "auth",
  "credential",
  "session",
  "cookie",
]);

const RULES: [RegExp, Replacement, Gate?][] = [
  // PEM private key blocks, whole or cut off by the message bound.
  [
    new RegExp(
      `-----BEGIN ([A-Z ]{0,32})PRIVATE KEY-----[\\s\\S]${V}?(?:-----END [A-Z ]{0,32}PRIVATE KEY-----|$)`,
      "g",
    ),
    (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}`,
    anyOf(["PRIVATE KEY-----"], false),
  ],
  // Prefixed tokens: GitHub, Slack, Stripe secret/restricted/webhook keys, Google API keys, OpenAI.
  [
    new RegExp(
      [
        `gh[pousr]_[A-Za-z0-9]{30,${N}}`,
        `github_pat_[A-Za-z0-9_]{30,${N}}`,
        `xox[abeprs]-[A-Za-z0-9-]{10,${N}}`,
        `[rs]k_(?:live|test)_[A-Za-z0-9]{16,${N}}`,
        `whsec_[A-Za-z0-9]{16,${N}}`,
        "AIza[0-9A-Za-z_-]{35}",
        `sk-(?:proj-)?[A-Za-z0-9_-]{20,${N}}`,
      ]
        .map((token) => `\\b${token}`)
        .join("|"),
      "g",
    ),
    REDACTED,
    anyOf(["_", "xox", "AIza", "sk-"], false),
  ],
  // Slack incoming webhook URLs: the path is the secret.
  [
    new RegExp(`(hooks\\.slack\\.com/services/)[A-Za-z0-9/_-]${V1}`, "gi"),
    (_m, head) => `${head}${REDACTED}`,
    anyOf(["hooks.slack.com/services/"]),
  ],
  // Cookie / Set-Cookie / X-Api-Key / X-Auth-Token headers: the rest of the line.
  [
    new RegExp(`\\b((?:set-)?cookie|x-api-key|x-auth-token)(${SP}:${SP})[^\\r\\n]${V1}`, "gi"),
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
    anyOf(["cookie", "x-api-key", "x-auth-token"]),
  ],
  // JWT: three base64url parts, the first two starting with eyJ ('{"'). Tried only where a run of
  // base64url characters starts (a JWT may follow a short "name-" prefix in the same run), so
  // "eyJ-eyJ-…" is not rescanned from every "eyJ".
  [
    new RegExp(
      `(?<![A-Za-z0-9_-])((?:[A-Za-z0-9_-]{0,64}?-)??)eyJ[A-Za-z0-9_-]{5,${N}}\\.eyJ[A-Za-z0-9_-]{5,${N}}\\.[A-Za-z0-9_-]${V1}`,
      "g",
    ),
    (_m, prefix) => `${prefix}${REDACTED}`,
    anyOf(["eyJ"], false),
  ],
  // Authorization: Bearer xxx / Basic xxx
  [
    new RegExp(`\\b(Bearer|Basic|Token)\\s{1,16}[A-Za-z0-9._~+/=-]{8,${N}}`, "gi"),
    (_m, scheme) => `${scheme} ${REDACTED}`,
    anyOf(["bearer", "basic", "token"]),
  ],
  // scheme://user:password@host
  [
    new RegExp(`\\b([a-z][a-z0-9+.-]{0,31}://[^\\s:/@]{0,256}:)[^\\s@/]${V1}@`, "gi"),
    (_m, head) => `${head}${REDACTED}@`,
    (text) => text.includes("://") && text.includes("@"),
  ],
  // AWS access key ids
  [/\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, REDACTED],
  // "key": "value" (JSON-ish) for sensitive key names; the value may hold escaped characters
  // (\" does not end it)
  [
    new RegExp(`(${SENSITIVE}${KEY_REST}["']?${SP}:${SP})(["'])(?:\\\\.|(?!\\2)[^\\\\])${V}(?:\\2|$)`, "gi"),
    (_m, head, quote) => `${head}${quote}${REDACTED}${quote}`,
    SENSITIVE_GATE,
  ],
  // \"key\": \"value\" — the same inside a JSON-encoded string (an error quoting JSON.stringify output)
  [
    new RegExp(
      `(${SENSITIVE}(?<=\\\\"[\\w-]{1,80})${KEY_REST}\\\\"${SP}:${SP}\\\\")(?:(?!\\\\").)${V}(\\\\"|$)`,
      "gi",
    ),
    (_m, head, tail) => `${head}${REDACTED}${tail || '\\"'}`,
    SENSITIVE_GATE,
  ],
  // key=value pairs for sensitive key names (query strings, env dumps, log lines), the value
  // possibly quoted, or quoted with escaped quotes inside a JSON string
  [
    new RegExp(
      `(${SENSITIVE}${KEY_REST}${SP}=${SP})(\\\\"(?:(?!\\\\").)${V}(?:\\\\"|$)|"[^"]${V}(?:"|$)|'[^']${V}(?:'|$)|[^\\s&;,'"]${V1})`,
      "gi",
    ),
    (_m, head) => `${head}${REDACTED}`,
    SENSITIVE_GATE,
  ],
  // key: value (YAML, log lines) for sensitive key names, unquoted values only (quoted ones are
  // handled above); an auth scheme or an already redacted value is left for the other rules
  [
    new RegExp(
      `(${SENSITIVE}${KEY_REST}:[ \\t]{0,16})(?!\\[REDACTED\\]|(?:Bearer|Basic|Token)\\b|["'\\\\])([^\\s"',;]${V1})`,
      "gi",
    ),
    (_m, head) => `${head}${REDACTED}`,
    SENSITIVE_GATE,
  ],
  // AWS secret access keys: 40 base64 characters standing alone (after the pairs above)
  [
    /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m) ? REDACTED : m),
  ],
];

/** The first `max` characters of `text`, without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * Returns `text` with every secret it recognises replaced by [REDACTED]. Reads only the first
 * `max` characters (at most REDACT_INPUT_MAX) and returns at most `max`.
 */
export function redact(text: string, max = REDACT_INPUT_MAX): string {
  const bound = Math.min(max, REDACT_INPUT_MAX);
  let out = clip(text, bound);
  let lower = out.toLowerCase();
  for (const [re, replacement, gate] of RULES) {
    if (gate && !gate(out, lower)) continue;
    const next = out.replace(re, replacement as (substring: string, ...args: string[]) => string);
    if (next !== out) {
      out = next;
      lower = out.toLowerCase(); // the next gates read the text as it is now
    }
  }
  return clip(out, bound);
}
