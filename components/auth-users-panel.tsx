"use client";
/**
 * Settings › Users (admin): add a user, change a role, delete a user, sign a user out everywhere.
 * Server actions do the work. A role change or a delete ends the user's sessions; demoting or
 * deleting an admin also revokes the API tokens they created.
 */
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import {
  createUserAction,
  deleteUserAction,
  setRoleAction,
  signOutUserAction,
} from "#app/(console)/settings/actions.ts";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import type { User } from "#lib/auth/users.ts";
import { RelativeTime } from "./ui/relative-time.tsx";
import { useConfirm } from "./ui/use-confirm.tsx";

const tokensNote = (n: number) =>
  n ? ` and ${n} API token${n === 1 ? "" : "s"} they created ${n === 1 ? "was" : "were"} revoked` : "";

export function AuthUsersPanel({ users, self }: { users: User[]; self: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [dialog, ask] = useConfirm();
  const usersHeading = () => document.querySelector<HTMLElement>('[data-testid="users-panel"] h2');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function run<T>(call: () => Promise<ActionResult<T>>, done: string | ((data: T) => string)) {
    start(async () => {
      const res = await call();
      const text = res.ok ? (typeof done === "string" ? done : done(res.data)) : res.error;
      setMessage({ ok: res.ok, text });
      if (res.ok) router.refresh();
    });
  }

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const email = String(f.get("email") ?? "");
    const password = String(f.get("password") ?? "");
    run(
      () =>
        createUserAction({
          email,
          name: String(f.get("name") ?? "") || undefined,
          role: String(f.get("role") ?? "viewer"),
          password: password || undefined,
        }),
      `Added ${email}.`,
    );
    form.reset();
  }

  return (
    <section className="panel" aria-labelledby="users-h" data-testid="users-panel">
      {dialog}
      <h2 id="users-h">Users</h2>
      <TableScroll label="Users">
        <table className="data-table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Sign-in</th>
              <th>Added</th>
              <th className="col-actions">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.email} data-testid={`user-row-${u.email}`}>
                <td className="mono">{u.email}</td>
                <td>{u.name}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    data-testid="user-role"
                    value={u.role}
                    disabled={pending}
                    onChange={(e) =>
                      run(
                        () => setRoleAction({ email: u.email, role: e.target.value }),
                        (r) =>
                          `${u.email} is now ${r.role}; their sessions ended${tokensNote(r.revokedTokens)}.`,
                      )
                    }
                  >
                    <option value="viewer">viewer</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td>{u.hasPassword ? "password" : "single sign-on only"}</td>
                <td>
                  <RelativeTime ms={u.createdAt} />
                </td>
                <td className="col-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid="user-sign-out"
                    aria-label={`Sign out ${u.email}`}
                    disabled={pending || u.email === self}
                    title={u.email === self ? "Use “Sign out everywhere” under Your account" : undefined}
                    onClick={async () => {
                      const ok = await ask({
                        title: "Sign this user out everywhere?",
                        text: `Sign ${u.email} out everywhere: every session of theirs ends at its next request; their API tokens stay.`,
                        confirmLabel: `Sign out ${u.email}`,
                      });
                      if (ok)
                        run(() => signOutUserAction({ email: u.email }), `Signed ${u.email} out everywhere.`);
                    }}
                  >
                    Sign out
                  </button>{" "}
                  <button
                    type="button"
                    className="btn btn-danger btn-small"
                    data-testid="user-delete"
                    aria-label={`Delete ${u.email}`}
                    disabled={pending || u.email === self}
                    title={u.email === self ? "You cannot delete yourself" : undefined}
                    onClick={async () => {
                      const ok = await ask({
                        title: "Delete this user?",
                        text: `Delete the user ${u.email}: their sessions end at their next request and the API tokens they created are revoked.`,
                        confirmLabel: `Delete ${u.email}`,
                        returnFocus: usersHeading,
                      });
                      if (ok)
                        run(
                          () => deleteUserAction({ email: u.email }),
                          (r) => `Deleted ${u.email}${tokensNote(r.revokedTokens)}.`,
                        );
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <form className="actions" onSubmit={onAdd} data-testid="user-add-form">
        <input name="email" type="email" placeholder="email" required aria-label="Email" />
        <input name="name" placeholder="name (optional)" aria-label="Name" />
        <select name="role" aria-label="Role" defaultValue="viewer">
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
        <input
          name="password"
          type="password"
          placeholder="password (none: SSO only)"
          aria-label="Password"
          autoComplete="new-password"
        />
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="user-add">
          Add user
        </button>
      </form>
      {message ? (
        <p className={message.ok ? "ok-text" : "error-text"} data-testid="users-message" aria-live="polite">
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
