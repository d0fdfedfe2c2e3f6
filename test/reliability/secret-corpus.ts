/**
 * A corpus of secret shapes, for the redaction tests (test/redaction-corpus.test.ts) and
 * docs/RELIABILITY.md. Each entry is a line of text as it appears in an exception, and the
 * secret inside it that must never be stored. All values are made up.
 *
 * `REDACTED_SHAPES` are the shapes lib/queue/redact.ts removes; `KNOWN_GAPS` are shapes it lets
 * through (listed in docs/RELIABILITY.md as known gaps; none today).
 */

export interface SecretShape {
  name: string;
  /** the text, as it would appear in an error message or a stack frame */
  text: string;
  /** the part that must not survive */
  secret: string;
}

export const REDACTED_SHAPES: SecretShape[] = [
  {
    name: "bearer header",
    text: "Authorization: Bearer abcDEF123456ghiJKL789",
    secret: "abcDEF123456ghiJKL789",
  },
  {
    name: "bearer, lower case",
    text: "authorization: bearer 9f8e7d6c5b4a39281706",
    secret: "9f8e7d6c5b4a39281706",
  },
  { name: "basic header", text: "Authorization: Basic dXNlcjpodW50ZXIyMjI=", secret: "dXNlcjpodW50ZXIyMjI=" },
  {
    name: "basic-auth URL",
    text: "GET https://alice:Sup3rS3cret!@api.example.com/v1 failed",
    secret: "Sup3rS3cret!",
  },
  {
    name: "redis URL password",
    text: "connect redis://:r3disPa55@10.0.0.5:6379/0 refused",
    secret: "r3disPa55",
  },
  {
    name: "rediss URL user+password",
    text: "rediss://default:t0pSecretRedis@cache:6380",
    secret: "t0pSecretRedis",
  },
  { name: "postgres URL", text: "postgres://app:pgPassw0rd@db:5432/main timed out", secret: "pgPassw0rd" },
  {
    name: "postgresql URL, encoded",
    text: "postgresql://app:pg%40ss%3Aword@db/main",
    secret: "pg%40ss%3Aword",
  },
  { name: "amqp URL", text: "amqp://guest:amqpS3cret@rabbit:5672/vhost closed", secret: "amqpS3cret" },
  {
    name: "mongodb+srv URL",
    text: "mongodb+srv://u:mongoPw123@cluster0.example.net/db",
    secret: "mongoPw123",
  },
  { name: "password=", text: "login failed password=hunter2xyz for bob", secret: "hunter2xyz" },
  { name: "client_secret=", text: "oauth client_secret=abcXYZ987654 rejected", secret: "abcXYZ987654" },
  { name: "api_key in a query string", text: "GET /v1?api_key=AbC123xyz789&page=2", secret: "AbC123xyz789" },
  {
    name: "quoted env value",
    text: 'DB_PASSWORD="quoted pass 123" not accepted',
    secret: "quoted pass 123",
  },
  {
    name: 'JSON "password"',
    text: 'body {"user":"bob","password": "jsonPassw0rd!"}',
    secret: "jsonPassw0rd!",
  },
  {
    name: 'JSON "accessToken"',
    text: 'resp {"accessToken":"tokVALUE12345"}',
    secret: "tokVALUE12345",
  },
  {
    name: 'JSON "apiKey"',
    text: '{"apiKey": "k-1234567890abcdef"}',
    secret: "k-1234567890abcdef",
  },
  { name: "AWS access key id (AKIA)", text: "key AKIAIOSFODNN7EXAMPLE used", secret: "AKIAIOSFODNN7EXAMPLE" },
  {
    name: "AWS temporary key id (ASIA)",
    text: "ASIAXYZ1234567890ABC expired",
    secret: "ASIAXYZ1234567890ABC",
  },
  {
    name: "AWS secret access key",
    text: "aws wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY rejected",
    secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  },
  {
    name: "aws_secret_access_key=",
    text: "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  },
  {
    name: "JWT",
    text: "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U bad",
    secret: "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  },
  {
    name: "GitHub token after the word token",
    text: "token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB leaked",
    secret: "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
  },
  {
    name: "OpenAI-style sk- key",
    text: "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    secret: "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
  },
];

/**
 * Shapes redact.ts let through until 2026-11-27 07:30 (added to it with this corpus); they stay
 * a list of their own so docs/RELIABILITY.md can say which ones are new.
 */
export const ADDED_SHAPES: SecretShape[] = [
  { name: "YAML-style password: value", text: "password: plainYamlPw99", secret: "plainYamlPw99" },
  {
    name: "GitHub token standing alone (ghp_)",
    text: "push failed ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
    secret: "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
  },
  {
    name: "GitHub fine-grained PAT",
    text: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU",
    secret: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU",
  },
  {
    name: "GitHub OAuth token (gho_)",
    text: "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    secret: "gho_16C7e42F292c6912E7710c838347Ae178B4a",
  },
  {
    name: "Slack bot token",
    text: "slack xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    secret: "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  },
  {
    name: "Slack webhook URL",
    text: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    secret: "XXXXXXXXXXXXXXXXXXXXXXXX",
  },
  {
    name: "Stripe live secret key",
    text: "stripe sk_live_51H8abcdefghijklmnopqrstuv failed",
    secret: "sk_live_51H8abcdefghijklmnopqrstuv",
  },
  {
    name: "Stripe restricted key",
    text: "rk_test_4eC39HqLyjWDarjtT1zdp7dc",
    secret: "rk_test_4eC39HqLyjWDarjtT1zdp7dc",
  },
  {
    name: "Google API key",
    text: "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    secret: "AIzaSyA1234567890abcdefghijklmnopqrstuv",
  },
  {
    name: "PEM private key block",
    text: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234567890abcdef\nZZZsecretkeymaterialZZZ\n-----END RSA PRIVATE KEY-----",
    secret: "ZZZsecretkeymaterialZZZ",
  },
  {
    name: "Cookie header",
    text: "Cookie: session=abcdef0123456789; theme=dark",
    secret: "abcdef0123456789",
  },
  { name: "X-Api-Key header", text: "X-Api-Key: zzKEY1234567890", secret: "zzKEY1234567890" },
];

/** Shapes redact.ts does not cover (docs/RELIABILITY.md "Known gaps"): `it.todo` in the test. */
export const KNOWN_GAPS: SecretShape[] = [];

export const ALL_REDACTED: SecretShape[] = [...REDACTED_SHAPES, ...ADDED_SHAPES];
