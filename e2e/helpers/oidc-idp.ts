/**
 * A real OpenID Provider for the e2e suite: panva's `oidc-provider` (certified), in-process in
 * e2e/serve.ts, on a free loopback port named `localhost` (to the browser another site than
 * the console at 127.0.0.1). One confidential client (the console: authorization code + PKCE S256, redirect to `${E2E_BASE_URL}/api/auth/callback/oidc`) and an account for
 * any login: the login typed into the IdP's own (development) login form is the account id and
 * its `email`, so a test picks who the IdP vouches for (and, by a prefix, whether it says the
 * address is verified). No password is checked — the IdP is the
 * authority here; what is under test is that Requeue admits only the emails it knows.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Account, type JWK } from "oidc-provider";
import { E2E_OIDC } from "../env.ts";

export interface OidcIdp {
  issuer: string;
  close(): Promise<void>;
}

/** The display name the IdP gives an account (claim `name`): the part of the email before @. */
export const idpName = (email: string) => `IdP ${email.split("@")[0]}`;

function account(id: string): Account {
  return {
    accountId: id,
    // a login starting "unverified-" is an address the IdP has not verified; one starting
    // "noclaim-" gets no email_verified claim at all (an IdP that does not say)
    claims: () => ({
      sub: id,
      email: id,
      ...(id.startsWith("noclaim-") ? {} : { email_verified: !id.startsWith("unverified-") }),
      name: idpName(id),
    }),
  };
}

export async function startOidcIdp(redirectUri: string): Promise<OidcIdp> {
  // Listen first, so the issuer (which must be known at construction) carries the real port.
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  // "localhost", not the console's "127.0.0.1": another site to the browser, as a real identity
  // provider is, so the return to the console is the cross-site navigation production sees
  // (SameSite cookies behave as they would there).
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: E2E_OIDC.clientId,
        client_secret: E2E_OIDC.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { methods: ["S256"], required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx, id) => account(id),
    jwks: { keys: [{ ...(signingKey as JWK), use: "sig", alg: "RS256", kid: "e2e" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    features: { devInteractions: { enabled: true } },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
    },
  });
  server.on("request", provider.callback());

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
