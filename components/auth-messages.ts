/**
 * Sign-in error codes (next-auth's, or the code app/api/auth/options.ts throws) as sentences for
 * people. Only these fixed sentences are ever shown: the code arrives in the URL, so anyone can
 * write it into a link, and text taken from there would let them put words on the login page.
 */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  RateLimited: "Too many failed sign-ins; wait and try again.",
  AccessDenied: "This account may not use the console.",
  OAuthSignin: "Single sign-on could not start.",
  OAuthCallback: "Single sign-on failed.",
  SessionRequired: "Sign in to continue.",
};

export const GENERIC_SIGNIN_ERROR = "Sign-in failed.";

export function describeSignInError(code: string | undefined | null): string | null {
  if (!code) return null;
  return Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : GENERIC_SIGNIN_ERROR;
}
