/** The console's time component lives in time.tsx; this name stays for code written before it. */
export { Time as RelativeTime } from "./time.tsx";
