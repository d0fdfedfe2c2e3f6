/**
 * Secrets in the configuration: how strong a secret must be, and how a secret-bearing value may
 * be shown in an error message. lib/config.ts uses these; nothing here reads the environment.
 */

/** Values people copy from examples and never change, compared lower-case with only letters and digits. */
const PLACEHOLDERS = new Set([
  "secret",
  "nextauthsecret",
  "yoursecret",
  "yoursecrethere",
  "mysecret",
  "supersecret",
  "password",
  "password123",
  "password1234",
  "adminpassword",
  "admin",
  "adminadmin",
  "administrator",
  "letmein",
  "replaceme",
  "example",
  "test",
  "requeue",
  "qwertyuiop",
  "1234567890",
  "123456789012",
]);

/** Fewer distinct characters than this is a typed pattern ("xxxx…", "abab…"), not a random string. */
const MIN_DISTINCT_CHARACTERS = 6;

/**
 * Why a secret is too weak to use, or undefined when it is fine: shorter than `minLength`, a
 * known placeholder (anything starting with "change me" included), or a repeated pattern.
 */
export function secretWeakness(value: string, minLength: number): string | undefined {
  if (value.length < minLength) return `it has ${value.length} characters`;
  const plain = value.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (plain.startsWith("changeme") || PLACEHOLDERS.has(plain)) return "it is a placeholder";
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) return "it repeats a few characters";
  return undefined;
}

/**
 * A URL as it may be shown: everything between the scheme and the last "@" (the password, and
 * the user name when there is no password) replaced by "***". Works on text that is not a valid
 * URL too, since that is exactly what an error message reports; over-hiding is acceptable.
 *   redis://:pw@host:6379 → redis://:***@host:6379     rediss://user:pw@host → rediss://user:***@host
 */
export function redactUrl(raw: string): string {
  const at = raw.lastIndexOf("@");
  if (at < 0) return raw;
  const scheme = raw.indexOf("://");
  const start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
  const userinfo = raw.slice(start, at);
  const colon = userinfo.indexOf(":");
  const shown = colon < 0 ? "***" : `${userinfo.slice(0, colon)}:***`;
  return `${raw.slice(0, start)}${shown}${raw.slice(at)}`;
}

/** How an error message describes a secret's value: its length only. */
export function hiddenValue(value: string): string {
  return `a value of ${value.length} characters (not shown)`;
}
