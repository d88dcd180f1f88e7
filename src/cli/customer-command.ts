import type { Command } from 'commander';
import type { CustomerProfile } from '../crm/index.js';
import type { CliDbDeps } from './import-command.js';
import { sanitiseText } from '../shared/text-sanitiser.js';

const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export function formatProfile(p: CustomerProfile, ticketNumber: (id: number) => string): string {
  const lines = [
    `#${p.id} ${p.name}  ${[p.phone, p.email].filter(Boolean).join('  ')}`,
    `locale ${p.locale}${p.city ? `, ${p.city}` : ''} · lifecycle ${p.lifecycleStage} · segment ${p.rfmSegment ?? '-'} (R${p.rfm.recency ?? '-'} F${p.rfm.frequency ?? '-'} M${p.rfm.monetary ?? '-'})`,
    `tags: ${p.tags.join(', ') || '-'} · conversations: ${p.conversations}`,
    `consent: ${p.consents.map((c) => `${c.channel} ${c.status} (${c.source}, ${day(c.at)})`).join('; ') || '-'}`,
    `identities: ${p.identities.map((i) => `${i.channel}:${i.externalId}`).join(', ')}`,
    '',
    `orders (${p.orders.length} most recent):`,
    ...p.orders.map((o) => `  ${o.orderNumber}  ${o.status.padEnd(18)} ${(o.totalCents / 100).toFixed(2).padStart(10)}  ${day(o.placedAt)}`),
    '',
    `tickets (${p.tickets.length}):`,
    ...p.tickets.map((t) => `  ${ticketNumber(t.id)}  ${t.type.padEnd(14)} ${t.status.padEnd(16)} ${t.priority.padEnd(7)} ${t.order?.orderNumber ?? ''.padEnd(12)}  due ${day(t.slaDueAt)}  ${t.subject}${requesterNote(t, ticketNumber)}`),
    '',
    `conversations (${p.conversationList.length} most recent, channels: ${[...new Set(p.conversationList.map((c) => c.channel))].join(', ') || '-'}):`,
    ...p.conversationList.map((c) => `  #${c.id}  ${c.channel.padEnd(9)} ${c.status.padEnd(9)} ${String(c.messages).padStart(4)} messages  since ${day(c.createdAt)}  last ${day(c.lastActivityAt)}`),
    '',
    `satisfaction: ${p.feedback.map((f) => `${f.score}★`).join(' ') || '-'}`,
  ];
  // whatever reached the database, nothing in it may drive the staff terminal (C1 controls such as U+009B)
  return `${sanitiseText(lines.join('\n'))}\n`;
}

function requesterNote(t: CustomerProfile['tickets'][number], ticketNumber: (id: number) => string): string {
  if (!t.unverifiedRequester) return '';
  return t.approvedAt ? `  [unverified requester — approved ${day(t.approvedAt)}]` : '  [UNVERIFIED REQUESTER — opened by a guest who proved only the phone digits; staff approval needed: shopdesk tickets approve ' + ticketNumber(t.id) + ']';
}

/** `shopdesk customers show`: a customer's profile as staff see it (orders, tickets, segments, consent). */
export function registerCustomerCommand(program: Command, deps: CliDbDeps): void {
  const customers = program.command('customers').description('look up customers');
  customers
    .command('show')
    .description("show a customer's profile: contacts, segments, consent, orders and tickets")
    .argument('<who>', 'phone number, e-mail address, shop customer ref or customer id')
    .option('--json', 'print JSON')
    .action(async (who: string, opts: { json?: boolean }) => {
      const handle = await deps.openDb();
      try {
        // loaded here, not at start-up: `shopdesk --help` and other commands need none of it
        const { createCrm, ticketNumber } = await import('../crm/index.js');
        const crm = createCrm(handle.db);
        const id = await crm.customers.findByContact(who);
        const profile = id === undefined ? undefined : await crm.customers.profile(id);
        if (!profile) {
          console.error(`no customer found for "${who}"`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(opts.json ? `${JSON.stringify(profile, null, 2)}\n` : formatProfile(profile, ticketNumber));
      } finally {
        await handle.close();
      }
    });
}
