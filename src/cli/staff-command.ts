import type { Command } from 'commander';
import type { createCrm, StaffView } from '../crm/index.js';
import { isOnline, STAFF_ROLES } from '../crm/crm-constants.js';
import { hashPassword, oneTimePassword } from '../desk/auth/password-hashing.js';
import { AppError } from '../shared/app-error.js';
import type { CliDbDeps } from './import-command.js';

const ACTOR = 'cli';

function staffLine(s: StaffView & { identities?: { channel: string; externalId: string }[] }, now: Date): string {
  const state = !s.active ? 'deactivated' : isOnline(s, now) ? 'online' : s.presence === 'online' ? 'offline' : 'away';
  const login = s.loginName ?? '(no sign-in yet)';
  const ids = s.identities?.length ? `  ${s.identities.map((i) => `${i.channel}:${i.externalId}`).join(', ')}` : '';
  return `#${String(s.id).padEnd(4)} ${login.padEnd(18)} ${s.displayName.padEnd(14)} ${s.role.padEnd(8)} ${state.padEnd(11)}${s.hasPassword ? '' : ' no password'}${ids}`;
}

/**
 * `shopdesk staff …`: accounts for the staff desk, on the database directly (so the first admin can
 * be made before anyone can sign in). Passwords are printed once, as one-time passwords.
 */
export function registerStaffCommand(program: Command, deps: CliDbDeps & { deskUrl: () => string; sessionHours: () => number }): void {
  const staff = program.command('staff').description('staff accounts for the desk (/desk): add, list, deactivate, reset passwords, API tokens, tool links');
  const withCrm = async <T>(fn: (crm: ReturnType<typeof createCrm>) => Promise<T>): Promise<T> => {
    const handle = await deps.openDb();
    try {
      const { createCrm: create } = await import('../crm/index.js');
      return await fn(create(handle.db));
    } finally {
      await handle.close();
    }
  };

  staff.command('add').description('create a staff member and print a one-time password')
    .argument('<name>', 'the sign-in name (e.g. alice, 小王)')
    .requiredOption('--role <role>', `one of ${STAFF_ROLES.join(', ')}`)
    .option('--display-name <name>', 'the name customers see (default: the sign-in name)')
    .option('--email <email>', 'e-mail address')
    .action(async (name: string, opts: { role: string; displayName?: string; email?: string }) => withCrm(async (crm) => {
      if (!(STAFF_ROLES as readonly string[]).includes(opts.role)) throw new AppError('VALIDATION_FAILED', `--role must be one of ${STAFF_ROLES.join(', ')}`);
      const password = oneTimePassword();
      const s = await crm.staff.create({ loginName: name, displayName: opts.displayName, role: opts.role, email: opts.email, passwordHash: await hashPassword(password), actor: ACTOR });
      console.log(`Created ${s.role} "${s.loginName}" (#${s.id}), shown to customers as "${s.displayName}".`);
      console.log(`One-time password: ${password}`);
      console.log(`Sign in at ${deps.deskUrl()}/desk — the first sign-in asks for a new password.`);
    }));

  staff.command('list').description('list staff members with role, status and linked tools').option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => withCrm(async (crm) => {
      const list = await Promise.all((await crm.staff.list()).map(async (s) => ({ ...s, identities: await crm.staff.identities(s.id) })));
      if (opts.json) return void console.log(JSON.stringify(list, null, 2));
      const now = new Date();
      console.log(list.length ? list.map((s) => staffLine(s, now)).join('\n') : 'no staff yet: npx shopdesk staff add NAME --role admin');
    }));

  const toggle = (active: boolean) => async (name: string) => withCrm(async (crm) => {
    const s = await crm.staff.require(name);
    await crm.staff.setActive(s.id, active, ACTOR);
    console.log(active ? `${s.name} can sign in again.` : `${s.name} is deactivated: signed out everywhere, API tokens revoked.`);
  });
  staff.command('deactivate').description('stop a staff member signing in (signs them out and revokes their tokens)').argument('<name>').action(toggle(false));
  staff.command('activate').description('let a deactivated staff member sign in again').argument('<name>').action(toggle(true));

  staff.command('reset-password').description('set a new one-time password and sign the staff member out everywhere').argument('<name>')
    .action(async (name: string) => withCrm(async (crm) => {
      const s = await crm.staff.require(name);
      const password = oneTimePassword();
      await crm.staff.setPassword(s.id, await hashPassword(password), { oneTime: true, actor: ACTOR });
      await crm.staff.sessions.revokeAll(s.id, ACTOR);
      const fresh = await crm.staff.get(s.id);
      console.log(`One-time password for ${fresh?.loginName ?? s.name}: ${password}`);
      console.log(`They sign in at ${deps.deskUrl()}/desk and choose their own password.`);
    }));

  staff.command('revoke-sessions').description('sign a staff member out of every browser (and with --tokens revoke their API tokens)').argument('<name>')
    .option('--tokens', 'also revoke their API tokens')
    .action(async (name: string, opts: { tokens?: boolean }) => withCrm(async (crm) => {
      const s = await crm.staff.require(name);
      const n = await crm.staff.sessions.revokeAll(s.id, ACTOR);
      const t = opts.tokens ? await crm.staff.tokens.revokeAll(s.id, ACTOR) : 0;
      console.log(`Signed ${s.name} out of ${n} session(s)${opts.tokens ? `; revoked ${t} API token(s)` : ''}.`);
    }));

  staff.command('token').description('create an API token for a staff member (for scripts, `shopdesk desk`, the REST API); shown once')
    .argument('<name>').option('--label <label>', 'what the token is for', 'cli')
    .action(async (name: string, opts: { label: string }) => withCrm(async (crm) => {
      const s = await crm.staff.require(name);
      if (!s.active) throw new AppError('VALIDATION_FAILED', `${s.name} is deactivated`);
      const [{ StaffAuth }, { InProcessRateLimiter }] = await Promise.all([import('../desk/auth/staff-auth.js'), import('../shared/rate-limiter.js')]);
      const auth = new StaffAuth({ crm, limiter: new InProcessRateLimiter(), sessionHours: deps.sessionHours() });
      const token = await auth.createApiToken(s.id, opts.label, ACTOR);
      console.log(token);
      process.stderr.write(`API token for ${s.name} (${s.role}). Keep it secret; revoke with: npx shopdesk staff revoke-sessions "${s.name}" --tokens\n`);
    }));

  staff.command('link').description('bind a staff member to their user id in a staff tool (e.g. slack U0123ABCD, teams <Entra object id>)')
    .argument('<name>').argument('<tool>', 'slack | teams | …').argument('<externalId>', "the staff member's id in that tool")
    .action(async (name: string, tool: string, externalId: string) => withCrm(async (crm) => {
      const s = await crm.staff.require(name);
      await crm.staff.link(s.id, tool.toLowerCase(), externalId, ACTOR);
      console.log(`${s.name} is ${tool.toLowerCase()} user ${externalId}.`);
    }));

  staff.command('set').description("change a staff member's display name, role or chat cap").argument('<name>')
    .option('--display-name <name>', 'the name customers see').option('--role <role>', STAFF_ROLES.join(' | ')).option('--max-chats <n>', 'most chats auto-assigned at once')
    .action(async (name: string, opts: { displayName?: string; role?: string; maxChats?: string }) => withCrm(async (crm) => {
      const s = await crm.staff.require(name);
      const maxChats = opts.maxChats === undefined ? undefined : Number(opts.maxChats);
      if (maxChats !== undefined && !Number.isInteger(maxChats)) throw new AppError('VALIDATION_FAILED', '--max-chats must be a whole number');
      await crm.staff.setProfile(s.id, { displayName: opts.displayName, role: opts.role, maxChats }, ACTOR);
      console.log(`Updated ${s.name}.`);
    }));
}
