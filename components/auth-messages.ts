/** Sign-in error codes (next-auth's, or the message lib/auth throws) as sentences for people. */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  AccessDenied: "This account may not use the console.",
  OAuthSignin: "Single sign-on could not start.",
  OAuthCallback: "Single sign-on failed.",
  SessionRequired: "Sign in to continue.",
};

export function describeSignInError(code: string | undefined | null): string | null {
  if (!code) return null;
  return MESSAGES[code] ?? (code.length < 200 && /^[\w ;,.'-]+$/.test(code) ? code : "Sign-in failed.");
}
