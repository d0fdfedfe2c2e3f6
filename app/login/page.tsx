/**
 * /login — public. Signed-in users go straight to where they were headed. `callbackUrl` is
 * resolved against the console's origin and kept only when it stays there
 * (lib/auth/callback-url.ts), so neither the redirect nor the form leads elsewhere. The page
 * shows only its own messages: `error` picks one from a fixed table (components/auth-messages.ts).
 */
import { redirect } from "next/navigation";
import { currentPrincipal } from "#app/_lib/principal.ts";
import { oidcEnabled } from "#app/api/auth/options.ts";
import { LoginForm } from "#components/auth-login-form.tsx";
import { describeSignInError } from "#components/auth-messages.ts";
import { safeCallbackPath } from "#lib/auth/callback-url.ts";
import { getConfig } from "#lib/config.ts";
import styles from "./login.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Requeue" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl, getConfig().NEXTAUTH_URL);
  if (await currentPrincipal().catch(() => null)) redirect(callbackUrl);
  const error = Array.isArray(params.error) ? params.error[0] : params.error;
  return (
    <main className={styles.login}>
      <div className={styles.panel}>
        <h1>Requeue</h1>
        <p className={styles.muted}>Sign in to the console.</p>
        <LoginForm
          callbackUrl={callbackUrl}
          oidc={oidcEnabled()}
          initialError={describeSignInError(error)}
          classes={{ form: styles.form, error: styles.error }}
        />
      </div>
    </main>
  );
}
