/** What every bench needs: CPU placement and the median of its rounds. */
import { execFileSync } from "node:child_process";

/** Pins a process and all its threads to one core (`taskset -a`); false where taskset is missing. */
export function pin(pid: number, core: number): boolean {
  try {
    execFileSync("taskset", ["-a", "-pc", String(core), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
