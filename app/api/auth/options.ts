/**
 * next-auth v4 configuration: email + password against lib/auth, and an OIDC provider when
 * OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET are set. Sessions are JWTs (cookie
 * `next-auth.session-token`, httpOnly, SameSite=Strict, Secure when NEXTAUTH_URL is https) that
 * expire after SESSION_MAX_AGE_SECONDS. The token carries the email, the role and the user's
 * session version at sign-in; app/_lib/principal.ts re-reads the user on every request and
 * compares the version, so a password or role change, a delete or "sign out everywhere" ends
 * the session at its next request (lib/auth/users.ts).
 *
 * Sign-in attempts are rate limited (lib/auth/rate-limit); failed and refused ones are audited
 * as `signin.failed` / `signin.refused` in the log of refused requests (lib/auth/audit-refused).
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { safeCallbackPath } from "#lib/auth/callback-url.ts";
import { clientAddressOf } from "#lib/auth/client-address.ts";
import {
  audit,
  auditRefused,
  bootstrapAdmin,
  getUser,
  getUserSession,
  normalizeEmail,
  recordSignInSuccess,
  reserveSignIn,
  verifyPassword,
} from "#lib/auth/index.ts";
import { getConfig } from "#lib/config.ts";

/**
 * The session cookie: SameSite=Strict, so no other site's link, form or script makes a request
 * that carries it. Only the session token: next-auth's state, PKCE and callback-url cookies stay
 * Lax, because the identity provider's redirect back to /api/auth/callback/oidc is a cross-site
 * navigation that must carry them (see app/api/auth/[...nextauth]/route.ts for the landing).
 * proxy.ts reads the same names (it cannot import this module's Redis and config).
 */
export function sessionCookie() {
  const secure = (getConfig().NEXTAUTH_URL ?? "").startsWith("https://");
  return {
    secure,
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "strict" as const, path: "/", secure },
  };
}

let bootstrapped: Promise<unknown> | undefined;
/** The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD; once per process, before any sign-in. */
export function ensureBootstrapAdmin(): Promise<unknown> {
  const c = getConfig();
  bootstrapped ??= bootstrapAdmin(consoleRedis(), c.ADMIN_EMAIL, c.ADMIN_PASSWORD).catch((err) => {
    bootstrapped = undefined;
    throw err;
  });
  return bootstrapped;
}

/**
 * The client's address: the socket's, or with TRUST_PROXY_HOPS = n the address n trusted proxies
 * report in X-Forwarded-For (lib/auth/client-address.ts). Never what a client says of itself.
 */
export function clientIp(headers: Parameters<typeof clientAddressOf>[0]): string {
  return clientAddressOf(headers, getConfig().TRUST_PROXY_HOPS);
}

/** The error code a rate-limited sign-in ends with (components/auth-messages.ts words it). */
export const SIGNIN_RATE_LIMITED = "RateLimited";

function oidcProvider(): OAuthConfig<Record<string, string>> | null {
  const c = getConfig();
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID || !c.OIDC_CLIENT_SECRET) return null;
  return {
    id: "oidc",
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${c.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid email profile" } },
    // The ID token is validated (signature, issuer, audience, expiry), but OIDC Core §5.4 puts the
    // claims asked for by scope (email, name) in the UserInfo response in the code flow: an ID token
    // may carry only `sub`, so read UserInfo too (openid-client checks its `sub` is the token's).
    idToken: true,
    userinfo: {
      async request({ client, tokens }) {
        // next-auth hands over the TokenSet that `client.callback` returned (typed as its fields).
        const set = tokens as Parameters<typeof client.userinfo>[0] & { claims(): Record<string, unknown> };
        return { ...set.claims(), ...(await client.userinfo(set)) } as Record<string, string>;
      },
    },
    checks: ["pkce", "state"],
    clientId: c.OIDC_CLIENT_ID,
    clientSecret: c.OIDC_CLIENT_SECRET,
    profile: (p) => ({ id: p.sub, email: p.email, name: p.name ?? p.email }),
  };
}

export function oidcEnabled(): boolean {
  return oidcProvider() !== null;
}

function buildOptions(): NextAuthOptions {
  const c = getConfig();
  const oidc = oidcProvider();
  return {
    secret: c.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: c.SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: c.SESSION_MAX_AGE_SECONDS },
    useSecureCookies: (c.NEXTAUTH_URL ?? "").startsWith("https://"),
    cookies: { sessionToken: { name: sessionCookie().name, options: sessionCookie().options } },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const email = normalizeEmail(String(credentials?.email ?? ""));
          const password = String(credentials?.password ?? "");
          const ip = clientIp(req?.headers);
          if (!email || !password) return null;
          await ensureBootstrapAdmin();
          // Counted before the password is checked, in one script: a burst gets no extra tries.
          const limit = await reserveSignIn(consoleRedis(), email, ip);
          if (!limit.allowed) {
            await auditRefused(
              { id: email, email, via: "signin", ip },
              "signin.refused",
              { target: email, detail: `rate limited per ${limit.reason === "ip" ? "address" : "account"}` },
              { aggregate: true },
            );
            throw new Error(SIGNIN_RATE_LIMITED);
          }
          const user = await verifyPassword(consoleRedis(), email, password);
          if (!user) {
            await auditRefused({ id: email, email, via: "signin", ip }, "signin.failed", { target: email });
            return null;
          }
          await recordSignInSuccess(consoleRedis(), email, ip);
          await audit({ id: email, email, role: user.role, via: "signin", ip }, "signin", { target: email });
          return { id: user.email, email: user.email, name: user.name, role: user.role };
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        // OIDC proves who someone is; Requeue decides whether they may enter: only known users,
        // and only by an email the identity provider says it verified (an IdP that lets anyone
        // type any address would otherwise let them sign in as a Requeue user).
        const email = normalizeEmail(String(user.email ?? ""));
        // Only an explicit yes counts: a provider that does not say has not verified the address.
        const verified = (profile as { email_verified?: unknown } | undefined)?.email_verified;
        const unverified = verified !== true && verified !== "true";
        const known = email && !unverified ? await getUser(consoleRedis(), email) : null;
        const actor = { id: email || "unknown", email, via: "oidc" };
        if (known) await audit(actor, "signin", { target: email });
        else
          await auditRefused(actor, "signin.failed", {
            target: email,
            detail: unverified ? "email not verified by the identity provider" : "no such user",
          });
        return Boolean(known);
      },
      // Wherever next-auth is asked to go next: a path on this site, else the start page.
      async redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).href;
      },
      async jwt({ token, user }) {
        if (user?.email) {
          // At sign-in only: the session version it starts under (lib/auth/users.ts).
          const known = await getUserSession(consoleRedis(), user.email);
          token.email = normalizeEmail(user.email);
          token.name = known?.user.name ?? user.name ?? user.email;
          token.role = known?.user.role ?? "viewer";
          token.sv = known?.sessionVersion ?? "";
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { email: token.email ?? "", name: token.name ?? "", role: token.role ?? "viewer" };
        return session;
      },
    },
  };
}

let cached: NextAuthOptions | undefined;
export function authOptions(): NextAuthOptions {
  cached ??= buildOptions();
  return cached;
}

declare module "next-auth" {
  interface Session {
    user: { email: string; name: string; role: string };
  }
  interface User {
    role?: string;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    role?: string;
    /** the user's session version at sign-in; a session whose value is not current has ended */
    sv?: string;
  }
}
