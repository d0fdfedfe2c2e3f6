"use client";
/**
 * Invalidate a tag (admins only): every entry tagged with it, in every namespace, becomes a miss.
 * The tag is checked as you type; the confirmation names the tag and how many namespaces.
 */
import { useState } from "react";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import s from "./cache.module.css";

/** The same rule the API applies: 1–200 characters, no spaces. */
export const TAG_PATTERN = /^\S{1,200}$/;

export function InvalidateTagForm({
  namespaceCount,
  onInvalidate,
  pending,
}: {
  namespaceCount: number;
  onInvalidate: (tag: string) => Promise<void>;
  pending: boolean;
}) {
  const [tag, setTag] = useState("");
  const [confirming, setConfirming] = useState(false);
  const trimmed = tag.trim();
  const error =
    trimmed && !TAG_PATTERN.test(trimmed)
      ? "A tag is 1–200 characters without spaces, e.g. document:42"
      : null;
  return (
    <>
      <form
        className={s.tagForm}
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed && !error) setConfirming(true);
        }}
      >
        <label htmlFor="invalidate-tag-input">Invalidate tag</label>
        <input
          id="invalidate-tag-input"
          value={tag}
          placeholder="document:42"
          onChange={(e) => setTag(e.target.value)}
          aria-invalid={error ? "true" : "false"}
          data-testid="invalidate-tag-input"
        />
        <button
          type="submit"
          className="btn"
          disabled={pending || !trimmed || !!error}
          data-testid="invalidate-tag"
        >
          Invalidate…
        </button>
        {error ? <span className={s.fieldError}>{error}</span> : null}
      </form>
      {confirming ? (
        <ConfirmDialog
          open
          title={`Invalidate tag ${trimmed}?`}
          confirmLabel="Invalidate"
          pending={pending}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await onInvalidate(trimmed);
            setConfirming(false);
            setTag("");
          }}
        >
          <p>
            Every entry tagged <code>{trimmed}</code> in all {namespaceCount} namespaces becomes a miss at
            once; entries without this tag are not touched.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
