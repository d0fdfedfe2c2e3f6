/**
 * /login — public. Signed-in users go straight to where they were headed. `callbackUrl` is
 * accepted only as a path on this site, so the form cannot be used to redirect elsewhere.
 */
import { redirect } from "next/navigation";
import { currentPrincipal } from "@/app/_lib/principal.ts";
import { oidcEnabled } from "@/app/api/auth/options.ts";
import { LoginForm } from "@/components/auth-login-form.tsx";
import { describeSignInError } from "@/components/auth-messages.ts";
import styles from "./login.module.css";

export const dynamic = "force-dynamic";

function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\") ? v : "/";
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
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
