/**
 * Where to go after signing in: `callbackUrl` comes from the URL, so anyone can write it into a
 * link. It is resolved the way a browser resolves a redirect (the WHATWG URL parser drops tabs
 * and newlines and reads `\` as `/`, so `/%09/evil.example` arrives as `/<tab>/evil.example`
 * and becomes `//evil.example`), and kept only when it lands on the console's own origin. The
 * result is a path, checked again after normalisation (`/.//evil.example` normalises to
 * `//evil.example`); anything else becomes `/`. The tests hold the table of hostile values
 * (lib/auth/signin.test.ts).
 */

const MAX_LENGTH = 2000;
/** Any origin will do for resolving a relative path; a real one is compared when given. */
const PLACEHOLDER_ORIGIN = "http://console.invalid";

/**
 * A value with a scheme is read on its own: `https:evil.example` is relative only to an https
 * base, and `https://evil.example/` to every other one, so it counts as the latter.
 */
function sameOrigin(value: string, origin: string): URL | null {
  const parse = (base?: string) => {
    try {
      return new URL(value, base);
    } catch {
      return null;
    }
  };
  const url = parse() ?? parse(origin);
  return url?.origin === origin ? url : null;
}

export function safeCallbackPath(value: unknown, base: string = PLACEHOLDER_ORIGIN): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" || raw.length > MAX_LENGTH) return "/";
  let origin: string;
  try {
    origin = new URL(base).origin;
  } catch {
    origin = PLACEHOLDER_ORIGIN;
  }
  const url = sameOrigin(raw, origin);
  if (!url) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return sameOrigin(path, origin) ? path : "/";
}
