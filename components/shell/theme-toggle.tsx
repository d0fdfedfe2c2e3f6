"use client";
/**
 * The top bar's light/dark switch. It starts from what the page shows (a remembered choice or the
 * system's scheme), flips it, and remembers the choice (components/shell/theme.ts).
 */
import { useEffect, useState } from "react";
import { THEME_STORAGE_KEY, type Theme } from "./theme.ts";

function shownTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function ThemeToggle() {
  // Unknown on the server: rendered as "light" there and corrected after hydration.
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    setTheme(shownTheme());
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => setTheme(shownTheme());
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, []);
  const dark = theme === "dark";
  return (
    <button
      type="button"
      className="topbar-item btn btn-quiet theme-toggle"
      data-testid="theme-toggle"
      data-theme-shown={theme ?? undefined}
      aria-pressed={dark}
      onClick={() => {
        const next: Theme = shownTheme() === "dark" ? "light" : "dark";
        document.documentElement.dataset.theme = next;
        try {
          localStorage.setItem(THEME_STORAGE_KEY, next);
        } catch {
          // storage refused (private mode): the choice holds for this page only
        }
        setTheme(next);
      }}
    >
      <span aria-hidden="true" className="theme-toggle-icon">
        ◐
      </span>
      <span className="topbar-label">Dark mode</span>
    </button>
  );
}
