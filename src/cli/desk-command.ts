import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConversationDetail, ConversationListItem } from '../crm/index.js';
import { DESK_VIEWS } from '../crm/crm-constants.js';
import { AppError } from '../shared/app-error.js';
import type { CliDbDeps } from './import-command.js';

interface DeskCli { url: () => string; token: () => string | undefined }

/** A call to the running shopdesk's desk API as the staff member whose token this is. */
async function call<T>(cli: DeskCli, method: string, path: string, body?: unknown, opts: { token?: string; url?: string } = {}): Promise<T> {
  const token = opts.token ?? cli.token();
  if (!token) throw new AppError('UNAUTHORIZED', 'no staff token', { userMessage: 'Set SHOPDESK_STAFF_TOKEN (or --token) to a staff API token: npx shopdesk staff token NAME' });
  const base = opts.url ?? cli.url();
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new AppError('CHANNEL_SEND_FAILED', `cannot reach ${base}`, { userMessage: `shopdesk is not reachable at ${base} (${(err as Error).message}). Start it with npm start, or set SHOPDESK_URL / --url.` });
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new AppError('VALIDATION_FAILED', `${res.status} ${e?.code ?? ''}`, { userMessage: `${e?.message ?? res.statusText} (${res.status})` });
  }
  return data as T;
}

const minutes = (iso: string | Date | null) => (iso ? `${Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000))} min` : '');

function listLine(c: ConversationListItem): string {
  const state = c.mode === 'waiting' ? `waiting ${minutes(c.waitingSince)}` : c.mode === 'human' ? `with ${c.assignee?.name ?? '?'}` : c.status;
  return `#${String(c.id).padEnd(5)} ${state.padEnd(20)} ${c.channel.padEnd(6)} ${c.customer.name.padEnd(12)} ${(c.handoffReason ?? '').padEnd(10)} ${(c.lastMessage?.text ?? '').replace(/\s+/g, ' ').slice(0, 60)}`;
}

export function formatTranscript(d: ConversationDetail): string {
  const c = d.conversation;
  const lines = [
    `#${c.id} ${d.customer?.name ?? '?'} · ${c.channel} · ${c.mode}/${c.status}${c.assignee ? ` · ${c.assignee.name}` : ''}${c.handoffReason ? ` · handed off: ${c.handoffReason}` : ''}`,
    d.customer ? `segment ${d.customer.rfmSegment ?? '-'} · lifetime value ${(d.customer.lifetimeValueCents / 100).toFixed(2)} · ${d.customer.paidOrders} orders · ${d.customer.openTickets.length} open tickets` : '',
    '',
  ];
  const items = [
    ...d.messages.map((m) => ({ at: new Date(m.at).getTime(), line: `${m.from === 'customer' ? 'customer' : m.from === 'staff' ? `staff:${m.staffId}` : 'bot'}> ${m.text}` })),
    ...d.notes.map((n) => ({ at: new Date(n.at).getTime(), line: `note(${n.staff?.name ?? n.system})> ${n.text}` })),
    ...d.events.map((e) => ({ at: new Date(e.at).getTime(), line: `-- ${e.type} by ${e.actor}` })),
  ].sort((a, b) => a.at - b.at);
  return `${[...lines, ...items.map((i) => i.line)].join('\n')}\n`;
}

/**
 * `shopdesk desk …`: the staff desk's operations for scripts. They go through the running server's
 * API (with a staff token), so the customer gets the reply, every open /desk sees the change, and
 * the same rules and audit log apply as in the browser.
 */
export function registerDeskCommand(program: Command, deps: CliDbDeps & DeskCli): void {
  const desk = program.command('desk').description('work conversations from scripts: list, show, claim, reply, note, transfer, release, resolve')
    .option('--url <url>', 'the running shopdesk (default SHOPDESK_URL, PUBLIC_URL or http://HOST:PORT)')
    .option('--token <token>', 'a staff API token (default SHOPDESK_STAFF_TOKEN)');
  const o = () => desk.opts<{ url?: string; token?: string }>();
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(deps, method, path, body, { url: o().url?.replace(/\/$/, ''), token: o().token });
  const id = (v: string) => {
    if (!/^\d{1,9}$/.test(v)) throw new AppError('VALIDATION_FAILED', `"${v}" is not a conversation id (see shopdesk desk list)`);
    return Number(v);
  };

  desk.command('list').description('conversations waiting for a person (or --view mine|active|left|recent, or --search TEXT)')
    .option('--view <view>', DESK_VIEWS.join(' | '), 'waiting').option('--search <text>', 'search customers, order numbers and what was said').option('--json', 'print JSON')
    .action(async (opts: { view: string; search?: string; json?: boolean }) => {
      if (!(DESK_VIEWS as readonly string[]).includes(opts.view)) throw new AppError('VALIDATION_FAILED', `--view must be one of ${DESK_VIEWS.join(', ')}`);
      const r = await api<{ items: ConversationListItem[]; counts: Record<string, number> }>('GET', opts.search ? `/desk/api/conversations?q=${encodeURIComponent(opts.search)}` : `/desk/api/conversations?view=${opts.view}`);
      if (opts.json) return void console.log(JSON.stringify(r, null, 2));
      console.log(r.items.length ? r.items.map(listLine).join('\n') : `nothing ${opts.search ? 'found' : `in ${opts.view}`}`);
      process.stderr.write(`waiting ${r.counts.waiting} · mine ${r.counts.mine} · active ${r.counts.active} · left messages ${r.counts.left}\n`);
    });
  desk.command('show').description('a conversation: transcript, notes, events and the customer').argument('<id>').option('--json', 'print JSON')
    .action(async (v: string, opts: { json?: boolean }) => {
      const d = await api<ConversationDetail>('GET', `/desk/api/conversations/${id(v)}`);
      process.stdout.write(opts.json ? `${JSON.stringify(d, null, 2)}\n` : formatTranscript(d));
    });
  for (const verb of ['claim', 'release', 'resolve'] as const) {
    desk.command(verb).description(verb === 'claim' ? 'take a conversation (the first claim wins)' : verb === 'release' ? 'hand a conversation back to the bot' : 'mark a conversation resolved (the customer is asked for a rating)')
      .argument('<id>').action(async (v: string) => {
        await api('POST', `/desk/api/conversations/${id(v)}/${verb}`);
        console.log(`${verb}: #${v} done`);
      });
  }
  desk.command('reply').description('send the customer a reply (text, or - to read it from stdin); you must have claimed the conversation')
    .argument('<id>').argument('<text>').option('--client-id <id>', 'an id for this reply: running the command again with it sends nothing twice')
    .action(async (v: string, text: string, opts: { clientId?: string }) => {
      const body = text === '-' ? readFileSync(0, 'utf8') : text;
      const r = await api<{ messageId: number; duplicate: boolean }>('POST', `/desk/api/conversations/${id(v)}/messages`, { text: body, clientId: opts.clientId ?? randomUUID() });
      console.log(r.duplicate ? `already sent (message ${r.messageId})` : `sent (message ${r.messageId})`);
    });
  desk.command('note').description('add an internal note (staff only)').argument('<id>').argument('<text>')
    .action(async (v: string, text: string) => {
      await api('POST', `/desk/api/conversations/${id(v)}/notes`, { text });
      console.log('note added');
    });
  desk.command('transfer').description('give a conversation to another staff member').argument('<id>').argument('<staff>', 'their name or id')
    .action(async (v: string, who: string) => {
      const staff = await api<{ items: { id: number; name: string }[] }>('GET', '/desk/api/staff');
      const match = staff.items.filter((s) => String(s.id) === who || s.name.toLowerCase() === who.toLowerCase());
      if (match.length !== 1) throw new AppError('NOT_FOUND', `no single staff member "${who}"`, { userMessage: `No single staff member "${who}": ${staff.items.map((s) => `${s.name} (#${s.id})`).join(', ')}` });
      await api('POST', `/desk/api/conversations/${id(v)}/transfer`, { staffId: match[0].id });
      console.log(`transferred #${v} to ${match[0].name}`);
    });
  desk.command('outbox').description('staff notifications by target and status (on the database); --retry-failed sends failed ones again')
    .option('--retry-failed', 'set failed notifications pending again (the running shopdesk delivers them within a sweep)')
    .action(async (opts: { retryFailed?: boolean }) => {
      const handle = await deps.openDb();
      try {
        const { createCrm } = await import('../crm/index.js');
        const crm = createCrm(handle.db);
        if (opts.retryFailed) console.log(`${await crm.outbox.retryFailed()} failed notification(s) will be tried again`);
        const rows = await crm.outbox.summary();
        console.log(rows.length ? rows.map((r) => `${r.target.padEnd(10)} ${r.status.padEnd(8)} ${r.count}`).join('\n') : 'no staff notifications yet');
      } finally {
        await handle.close();
      }
    });
}
