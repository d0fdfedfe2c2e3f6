/** /api/auth/* — next-auth's own endpoints (sign-in, callback, session, csrf, sign-out). Public. */
import NextAuth from "next-auth";
import { authOptions } from "../options.ts";

export const dynamic = "force-dynamic";

async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
