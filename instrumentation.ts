/**
 * Runs once per console process before it serves a request (Next.js instrumentation hook): every
 * request gets the socket address it came from in a header no client can set
 * (lib/auth/client-address.ts explains why Next's own x-forwarded-for cannot be trusted).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { stampSocketAddresses } = await import("./lib/auth/client-address.ts");
  stampSocketAddresses();
}
