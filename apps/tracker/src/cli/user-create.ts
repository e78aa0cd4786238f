import { ConfigError, loadConfig } from '@postwire/config';
import { EmailTaken, LastAdmin, migrate, openSqlClient, USER_ROLES, UserRepository, type UserRole } from '@postwire/persistence';
import { hashPassword, newPassword } from '@postwire/security';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { email as emailSchema, newPassword as passwordSchema } from '../auth/auth-schemas';

/**
 * `npm run user:create -- --email a@b.c --role admin [--password …]`: makes a console account, or
 * sets the password and role of an existing one (the way back in after a lost admin password).
 * Without --password it asks on a terminal, or else generates one and prints it. With the embedded
 * database, stop Postwire first: PGlite is opened by one process at a time.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string', default: 'admin' }, password: { type: 'string' } } });
  const email = emailSchema.safeParse(values.email ?? '');
  if (!email.success) return fail('--email: must be an e-mail address');
  if (!USER_ROLES.includes(values.role as UserRole)) return fail(`--role: must be one of ${USER_ROLES.join(', ')}`);
  let password = values.password;
  let generated = false;
  if (password === undefined && process.stdin.isTTY) password = await askHidden('Password (empty to generate one): ');
  if (!password) {
    password = newPassword();
    generated = true;
  }
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) return fail(`--password: ${checked.error.issues[0].message}`);

  const config = loadConfig();
  const db = await openSqlClient({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, shortRun: true });
  try {
    await migrate(db);
    const users = new UserRepository(db);
    await users.canonicaliseStored();
    const passwordHash = await hashPassword(password);
    const role = values.role as UserRole;
    let verb = 'created';
    let stored: string;
    try {
      stored = (await users.create({ email: email.data, passwordHash, role })).email;
    } catch (error) {
      if (!(error instanceof EmailTaken)) throw error;
      const existing = await users.findForSignIn(email.data);
      stored = existing!.user.email;
      const updated = await users.update(existing!.user.id, { passwordHash, role }).catch((e: unknown) => (e instanceof LastAdmin ? e : Promise.reject(e)));
      if (updated instanceof LastAdmin) return fail(`--role: ${stored} is the last admin account; make another admin first`);
      // A reset password must not leave old sessions signed in.
      await db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [existing!.user.id]);
      verb = 'updated (password and role set, its sessions ended)';
    }
    process.stdout.write(`User ${stored} (${role}) ${verb}.\n`);
    if (generated) process.stdout.write(`Generated password, shown only now:\n\n    ${password}\n\n`);
    return 0;
  } finally {
    await db.close();
  }
}

function fail(message: string): number {
  process.stderr.write(`user:create: ${message}\nUsage: npm run user:create -- --email you@example.com --role admin|manager|client [--password …]\n`);
  return 64;
}

function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let asked = false;
  output._writeToOutput = (s: string) => {
    if (!asked) {
      output.output.write(s);
      asked = true;
    }
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `user:create failed: ${error.stack ?? error.message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
