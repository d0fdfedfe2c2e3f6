"use client";
/** The webhook URL (admins only): validated as you type (http or https) and again on the server. */
import { useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import type { WebhookSetting } from "#lib/alerts/settings.ts";
import s from "./alerts.module.css";

export interface WebhookFormProps {
  initial: WebhookSetting;
  save: (input: { url: string | null }) => Promise<ActionResult<WebhookSetting>>;
}

function check(text: string): string | null {
  if (text.trim() === "") return null;
  try {
    const u = new URL(text.trim());
    if (u.protocol === "http:" || u.protocol === "https:") return null;
  } catch {
    // fall through
  }
  return "Enter an http:// or https:// URL, e.g. https://hooks.example.com/requeue";
}

export function WebhookForm({ initial, save }: WebhookFormProps) {
  const [current, setCurrent] = useState(initial);
  const [text, setText] = useState(initial.source === "stored" ? (initial.url ?? "") : "");
  const [message, setMessage] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const error = check(text) ?? serverError;

  async function submit(url: string | null) {
    setPending(true);
    setMessage(null);
    try {
      const r = await save({ url });
      if (r.ok) {
        setCurrent(r.data);
        setServerError(null);
        setMessage(url ? "Saved: alerts will be posted to this URL." : "Removed.");
        if (!url) setText("");
      } else setServerError(r.error);
    } catch {
      setServerError("The console server is unreachable; nothing was changed");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <p className={s.hint}>
        A JSON POST when an alert fires and when it resolves (with a <code>text</code> line for Slack-style
        hooks).{" "}
        {current.source === "environment"
          ? "Now: ALERT_WEBHOOK_URL from the environment; a URL saved here takes its place."
          : current.source === "none"
            ? "Now: none."
            : null}
      </p>
      <form
        className={s.webhook}
        onSubmit={(e) => {
          e.preventDefault();
          if (!error && text.trim()) void submit(text.trim());
        }}
      >
        <label htmlFor="webhook-url" className={s.muted}>
          Webhook URL
        </label>
        <input
          id="webhook-url"
          type="url"
          placeholder="https://hooks.example.com/requeue"
          value={text}
          aria-invalid={error ? "true" : "false"}
          onChange={(e) => {
            setText(e.target.value);
            setServerError(null);
            setMessage(null);
          }}
          data-testid="webhook-input"
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={pending || !!error || !text.trim()}
          data-testid="webhook-save"
        >
          Save
        </button>
        {current.source === "stored" ? (
          <button type="button" className="btn" disabled={pending} onClick={() => void submit(null)}>
            Remove
          </button>
        ) : null}
        {error ? (
          <span className={s.fieldError} role="status" data-testid="webhook-error">
            {error}
          </span>
        ) : null}
        {message ? (
          <span className={s.saved} role="status">
            {message}
          </span>
        ) : null}
      </form>
    </>
  );
}
