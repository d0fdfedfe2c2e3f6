/**
 * The colour theme the user chose with the top bar's toggle, remembered in localStorage and set
 * as data-theme on <html> (app/globals.css reads it). No choice: the system's (prefers-color-scheme).
 */
export type Theme = "light" | "dark";

export const THEME_STORAGE_KEY = "requeue-theme";

/**
 * Runs inline in <head> before the first paint (app/layout.tsx gives it the request's CSP nonce),
 * so a remembered dark theme never flashes light. Kept tiny and self-contained: it is a string.
 */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
