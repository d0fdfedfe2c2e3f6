/** Field masking for viewers (lib/auth/mask.ts): name matching, depth, values cut out of text. */
import { describe, expect, it } from "vitest";
import {
  MASK,
  MASK_DEPTH_MAX,
  MASK_TEXT_HIDDEN,
  MASK_TEXT_MAX,
  MASK_TEXT_VALUES_MAX,
  Masker,
  maskFields,
} from "./mask.ts";

describe("maskFields", () => {
  it("matches names without regard to case, _ or -, and any name that contains a masked one", () => {
    const masked = maskFields(
      {
        email: "a@x.io",
        customerEmail: "b@x.io",
        customer_email: "c@x.io",
        "CUSTOMER-EMAIL": "d@x.io",
        EMAIL_ADDRESS: "e@x.io",
        api_key: "k1",
        "X-Api-Key": "k2",
        emailAddress2: "f@x.io",
        mail: "kept",
        e_mail: "masked: e_mail is email without _",
        n: 1,
      },
      ["email", "apiKey"],
    );
    expect(masked).toEqual({
      email: MASK,
      customerEmail: MASK,
      customer_email: MASK,
      "CUSTOMER-EMAIL": MASK,
      EMAIL_ADDRESS: MASK,
      api_key: MASK,
      "X-Api-Key": MASK,
      emailAddress2: MASK,
      mail: "kept",
      e_mail: MASK,
      n: 1,
    });
  });

  it("masks inside arrays, nested objects and strings holding JSON, without changing the input", () => {
    const payload = {
      id: 1,
      nested: { ssn: "123", list: [{ card: "4111", ok: true }, { Card_Number: { last4: "1111" } }] },
      phone: null,
      raw: '{"email":"a@x.io","n":1}',
    };
    const copy = structuredClone(payload);
    expect(maskFields(payload, ["email", "ssn", "card", "phone"])).toEqual({
      id: 1,
      nested: { ssn: MASK, list: [{ card: MASK, ok: true }, { Card_Number: MASK }] },
      phone: null,
      raw: `{"email":"${MASK}","n":1}`,
    });
    expect(payload).toEqual(copy);
    expect(maskFields("plain", ["email"])).toBe("plain");
    expect(maskFields('{"n":1}', ["email"])).toBe('{"n":1}');
    expect(maskFields("{not json", ["email"])).toBe("{not json");
    expect(maskFields({ email: "a@x.io" }, [])).toEqual({ email: "a@x.io" });
  });

  it("masks the whole subtree past the depth limit (fail closed)", () => {
    let deep: unknown = { note: "deep secret", n: 5 };
    for (let i = 0; i < MASK_DEPTH_MAX + 5; i++) deep = { child: deep };
    const text = JSON.stringify(maskFields({ top: "kept", deep }, ["email"]));
    expect(text).toContain('"top":"kept"');
    expect(text).toContain(MASK);
    expect(text).not.toContain("deep secret");
    // within the limit nothing unnamed is masked
    let shallow: unknown = { note: "shallow" };
    for (let i = 0; i < 10; i++) shallow = [shallow];
    expect(JSON.stringify(maskFields(shallow, ["email"]))).toContain("shallow");
  });

  it("masks past the depth limit inside a string holding JSON too", () => {
    const nested = `${"[".repeat(MASK_DEPTH_MAX + 3)}"deep secret"${"]".repeat(MASK_DEPTH_MAX + 3)}`;
    expect(maskFields({ raw: nested }, ["email"]).raw).not.toContain("deep secret");
  });
});

describe("Masker.text", () => {
  const masker = (value: unknown, fields = ["email", "card", "token"]) => {
    const m = new Masker(fields);
    m.value(value);
    return m;
  };

  it("replaces each masked value quoted in a text, also JSON-escaped and nested", () => {
    const m = masker({ user: { email: 'jo"e@x.io' }, cards: [{ card: "4111111111111111" }], n: 1 });
    expect(m.text('Mailbox jo"e@x.io rejected; card 4111111111111111 declined; n 1')).toBe(
      `Mailbox ${MASK} rejected; card ${MASK} declined; n 1`,
    );
    expect(m.text('payload {"email":"jo\\"e@x.io"}')).toBe(`payload {"email":"${MASK}"}`);
  });

  it("collects every string and number under a masked field", () => {
    const m = masker({ card: { number: 4111111111111111, holder: "Jane Roe" } });
    expect(m.text("4111111111111111 of Jane Roe")).toBe(`${MASK} of ${MASK}`);
  });

  it("replaces the longest value first, leaves short values and booleans alone", () => {
    const m = masker({ email: "jane@x.io", token: "jane", card: "12", cardOk: true });
    expect(m.text("jane@x.io and jane; 12 items; true")).toBe(`${MASK} and ${MASK}; 12 items; true`);
  });

  it("leaves text as it is when nothing was masked", () => {
    expect(masker({ n: 1 }).text("Mailbox a@x.io rejected")).toBe("Mailbox a@x.io rejected");
  });

  it("hides the text whole when there are more values than it checks (fail closed)", () => {
    const m = masker({ email: Array.from({ length: MASK_TEXT_VALUES_MAX + 1 }, (_, i) => `user${i}@x.io`) });
    expect(m.text("Mailbox user1@x.io rejected")).toBe(MASK_TEXT_HIDDEN);
  });

  it("cuts a long text to MASK_TEXT_MAX, with no piece of a value left at the cut", () => {
    const secret = "secret-value@example.org";
    const m = masker({ email: secret });
    // one occurrence across the cut, one starting just past it
    const text = `${"x".repeat(MASK_TEXT_MAX - 5)}${secret}x${secret}${"y".repeat(MASK_TEXT_MAX)}`;
    const out = m.text(text);
    expect(out.length).toBeLessThanOrEqual(MASK_TEXT_MAX + 1);
    expect(out).not.toContain("secr");
    expect(out.endsWith("…")).toBe(true);
    expect(m.text(`short ${secret}`)).toBe(`short ${MASK}`);
  });

  it("json: a history's original payload is masked and stays JSON text; text that is not JSON is hidden", () => {
    const m = new Masker(["email"]);
    expect(JSON.parse(m.json('{"customerEmail":"old@x.io","n":2}'))).toEqual({ customerEmail: MASK, n: 2 });
    expect(m.text("old@x.io bounced")).toBe(`${MASK} bounced`);
    expect(m.json("{broken")).toBe(MASK);
    expect(m.json('{"n":1}')).toBe('{"n":1}');
  });
});

describe("the default MASK_FIELDS", () => {
  it("covers personal data and the secret names", () => {
    const payload = {
      customerEmail: "a@x.io",
      password: "p",
      user_password_hash: "h",
      apiKey: "k",
      "X-API-KEY": "k",
      access_token: "t",
      refreshToken: "t",
      client_secret: "s",
      privateKey: "pk",
      Authorization: "Bearer t",
      cookie: "sid=1",
      credentials: "c",
      phoneNumber: "1",
      orderId: 7,
    };
    const masked = new Masker().value(payload);
    expect(Object.entries(masked).filter(([, v]) => v !== MASK)).toEqual([["orderId", 7]]);
  });
});
