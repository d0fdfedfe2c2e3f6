/**
 * `requeue users add <email> --role admin|viewer`: creates a console user; `users list`;
 * `users sign-out <email>` ends every session of a user ("sign out everywhere"). The password comes
 * from --password (visible in the process list: prefer the others), --password-stdin, or a
 * hidden prompt on a terminal. It is never printed.
 */
import { type Command, str } from "../command.ts";
import { usageError } from "../errors.ts";
import { ago, table } from "../output.ts";
import { email as parseEmail, role as parseRole } from "../parse.ts";
import { openSession, promptHidden, readStdin } from "../session.ts";

export const MIN_PASSWORD_LENGTH = 8;

export const usersAdd: Command = {
  name: "users add",
  summary: "create a console user",
  usage: "requeue users add <email> --role admin|viewer [--password <pw> | --password-stdin]",
  help: [
    ["--role admin|viewer", "admin may change things; viewer may only look (required)"],
    ["--password <pw>", "the password (shows in the process list: prefer a prompt or stdin)"],
    ["--password-stdin", "read the password from stdin (the first line)"],
  ],
  notes: ["Without a password option it asks for one on the terminal; from a pipe it reads stdin."],
  options: { role: { type: "string" }, password: { type: "string" }, "password-stdin": { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run(values, [emailArg], { out, stdin }) {
    const email = parseEmail(emailArg);
    const role = parseRole(str(values.role));
    let password = str(values.password);
    if (password !== undefined && values["password-stdin"]) {
      throw usageError("give --password or --password-stdin, not both");
    }
    if (password === undefined) {
      if (values["password-stdin"] || !stdin.isTTY) password = (await readStdin(stdin)).split(/\r?\n/)[0];
      else password = await promptHidden(`Password for ${email}: `, stdin);
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw usageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const { backend } = await openSession(values);
    const user = await backend.addUser({ email, role, password });
    out.result({ user }, () => `created ${user.role} ${user.email}`);
  },
};

export const usersList: Command = {
  name: "users list",
  summary: "list console users and their roles",
  usage: "requeue users list",
  help: [],
  options: {},
  positionals: { min: 0, max: 0 },
  async run(values, _p, { out }) {
    const { backend } = await openSession(values);
    const users = await backend.listUsers();
    out.result(users, () =>
      users.length === 0
        ? "no users yet (the first admin is created when the console starts)"
        : table(users, [
            { title: "EMAIL", value: (u) => u.email },
            { title: "ROLE", value: (u) => u.role },
            { title: "CREATED", value: (u) => (u.createdAt ? ago(u.createdAt) : "") },
          ]),
    );
  },
};

export const usersSignOut: Command = {
  name: "users sign-out",
  summary: "sign a console user out everywhere (every session ends)",
  usage: "requeue users sign-out <email>",
  help: [],
  notes: ["Their sessions end at their next request; their API tokens stay (see tokens revoke)."],
  options: {},
  positionals: { min: 1, max: 1 },
  async run(values, [emailArg], { out }) {
    const email = parseEmail(emailArg);
    const { backend } = await openSession(values);
    await backend.signOutUser(email);
    out.result({ signedOut: email }, () => `signed ${email} out everywhere`);
  },
};
