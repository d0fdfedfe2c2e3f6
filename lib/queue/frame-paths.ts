/**
 * Stack frames are stored with paths relative to the application root: a dead letter shown in
 * the console, exported or sent to a webhook never reveals the server's directory layout, and a
 * failure groups with itself wherever the application is installed (the fingerprint reads the
 * top frame). A path outside the root keeps only its last two segments ("…/tool/run.js").
 * Lines are already cut to a bound (thrown.ts); the pattern is bounded too.
 */

/** An absolute path (POSIX, file:// URL or Windows drive) starting a word or after "(". */
const ABSOLUTE_PATH = /(?<=^|[\s(])(?:file:\/\/)?(?:[A-Za-z]:[\\/]|\/)[^\s():]{0,600}/g;

function shortened(path: string): string {
  const segments = path.split(/[\\/]/).filter(Boolean);
  return `…/${segments.slice(-2).join("/")}`;
}

/** `frames` ("at …" lines) with paths under `root` made relative and other absolute paths cut. */
export function relativeFramePaths(frames: string, root: string = process.cwd()): string {
  const base = root.replace(/[\\/]+$/, "");
  return frames
    .split("\n")
    .map((line) => {
      // a root of "/" (or none) would strip every slash: only real directories are made relative
      const relative = base ? line.replaceAll(`file://${base}/`, "").replaceAll(`${base}/`, "") : line;
      return relative.replace(ABSOLUTE_PATH, shortened);
    })
    .join("\n");
}
