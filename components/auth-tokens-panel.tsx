"use client";
/**
 * Settings › API tokens (admin): create a named token with a role and a lifetime — shown once,
 * here, and never again — list tokens with their last use and expiry, revoke one.
 */
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { createTokenAction, revokeTokenAction } from "#app/(console)/settings/actions.ts";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import type { TokenInfo } from "#lib/auth/tokens.ts";
import { RelativeTime } from "./ui/relative-time.tsx";
import { useConfirm } from "./ui/use-confirm.tsx";

/** The lifetimes offered, in days; 0: never expires. */
const EXPIRY_DAYS = [7, 30, 90, 365, 0];

export function AuthTokensPanel({ tokens }: { tokens: TokenInfo[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [dialog, ask] = useConfirm();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    start(async () => {
      const res = await createTokenAction({
        name: String(f.get("name") ?? ""),
        role: String(f.get("role") ?? "viewer"),
        expiresInDays: Number(f.get("expires")) || undefined,
      });
      if (res.ok) {
        setCreated({ name: res.data.name, token: res.data.token });
        setMessage(null);
        form.reset();
        router.refresh();
      } else setMessage({ ok: false, text: res.error });
    });
  }

  async function revoke(t: TokenInfo) {
    const ok = await ask({
      title: "Revoke this API token?",
      text: `Revoke the token "${t.name}" (${t.id}): scripts using it get 401 from now on.`,
      confirmLabel: `Revoke ${t.name}`,
      returnFocus: () => document.querySelector<HTMLElement>('[data-testid="tokens-panel"] h2'),
    });
    if (!ok) return;
    start(async () => {
      const res = await revokeTokenAction({ id: t.id });
      setMessage(res.ok ? { ok: true, text: `Revoked "${t.name}".` } : { ok: false, text: res.error });
      if (res.ok) router.refresh();
    });
  }

  return (
    <section className="panel" aria-labelledby="tokens-h" data-testid="tokens-panel">
      {dialog}
      <h2 id="tokens-h">API tokens</h2>
      <p className="muted">
        For scripts: <code>Authorization: Bearer &lt;token&gt;</code> on <code>/api/v1/*</code> and{" "}
        <code>/api/metrics</code>.
      </p>
      {created ? (
        <div className="panel" data-testid="token-created" role="status">
          <strong>Copy the token "{created.name}" now: it is not shown again.</strong>
          <pre className="mono" data-testid="token-value">
            {created.token}
          </pre>
          <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
      {tokens.length === 0 ? (
        <p className="muted" data-testid="tokens-empty">
          No API tokens: scripts cannot call the API until you create one.
        </p>
      ) : (
        <TableScroll label="API tokens">
          <table className="data-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Id</th>
                <th>Role</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th className="col-actions">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-testid={`token-row-${t.id}`}>
                  <td>{t.name}</td>
                  <td className="mono">{t.id}</td>
                  <td>{t.role}</td>
                  <td>
                    <RelativeTime ms={t.createdAt} /> <span className="muted">by {t.createdBy}</span>
                  </td>
                  <td>
                    {t.lastUsedAt ? <RelativeTime ms={t.lastUsedAt} /> : <span className="muted">never</span>}
                  </td>
                  <td data-testid="token-expires">
                    {t.expiresAt === null ? (
                      <span className="muted">never</span>
                    ) : t.expiresAt <= Date.now() ? (
                      <span className="error-text">
                        expired <RelativeTime ms={t.expiresAt} kind="either" />
                      </span>
                    ) : (
                      <RelativeTime ms={t.expiresAt} kind="either" />
                    )}
                  </td>
                  <td className="col-actions">
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      data-testid="token-revoke"
                      aria-label={`Revoke ${t.name}`}
                      disabled={pending}
                      onClick={() => revoke(t)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <form className="actions" onSubmit={onCreate} data-testid="token-create-form">
        <input name="name" placeholder="token name, e.g. ci-requeue" required aria-label="Token name" />
        <select name="role" aria-label="Token role" defaultValue="viewer">
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
          <option value="producer">producer (may only add jobs)</option>
        </select>
        <select name="expires" aria-label="Token expiry" defaultValue="90">
          {EXPIRY_DAYS.map((d) => (
            <option key={d} value={d}>
              {d ? `expires in ${d} days` : "never expires"}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="token-create">
          Create token
        </button>
      </form>
      {message ? (
        <p className={message.ok ? "ok-text" : "error-text"} data-testid="tokens-message" aria-live="polite">
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
