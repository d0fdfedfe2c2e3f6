"use client";
/**
 * The sign-in form: email and password through next-auth's credentials provider, and a
 * single-sign-on button when OIDC is configured. Errors are shown in the form, never as a
 * redirect to an error page.
 */
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { describeSignInError } from "./auth-messages.ts";

export function LoginForm({
  callbackUrl,
  oidc,
  initialError,
  classes = {},
}: {
  callbackUrl: string;
  oidc: boolean;
  initialError: string | null;
  classes?: { form?: string; error?: string };
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(describeSignInError(result?.error ?? "CredentialsSignin"));
  }

  return (
    <form className={classes.form} onSubmit={onSubmit} data-testid="login-form">
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required data-testid="login-email" />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="login-password"
        />
      </label>
      {error ? (
        <p className={classes.error} data-testid="login-error" aria-live="polite">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="login-submit">
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {oidc ? (
        <button
          type="button"
          className="btn"
          data-testid="login-oidc"
          onClick={() => void signIn("oidc", { callbackUrl })}
        >
          Sign in with single sign-on
        </button>
      ) : null}
    </form>
  );
}
