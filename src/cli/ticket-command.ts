import type { Command } from 'commander';
import { AppError } from '../shared/app-error.js';
import type { CliDbDeps } from './import-command.js';

/** `T000123`, `000123` or `123` → 123. */
export function parseTicketNumber(value: string): number {
  const m = /^T?0*(\d{1,9})$/i.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new AppError('VALIDATION_FAILED', `not a ticket number: ${value}`, { userMessage: `"${value}" is not a ticket number (like T000123)` });
  return Number(m[1]);
}

/**
 * `shopdesk tickets approve T000123`: staff confirm a return, cancellation or address change that
 * someone who is not the verified owner asked for (the profile shows it as UNVERIFIED REQUESTER).
 */
export function registerTicketCommand(program: Command, deps: Pick<CliDbDeps, 'openDb'>): void {
  const tickets = program.command('tickets').description('work on tickets');
  tickets
    .command('approve')
    .description('approve a ticket asked for by an unverified requester, after checking with the order owner')
    .argument('<ticket>', 'ticket number, e.g. T000123')
    .option('--by <name>', 'who approves (recorded on the ticket)', process.env.USER ?? 'cli')
    .option('--note <text>', 'how the owner was reached')
    .action(async (ticket: string, opts: { by: string; note?: string }) => {
      const id = parseTicketNumber(ticket);
      const handle = await deps.openDb();
      try {
        const { createCrm, ticketNumber } = await import('../crm/index.js');
        const t = await createCrm(handle.db).tickets.approveRequester(id, { actor: `staff:${opts.by}`, note: opts.note });
        console.log(`${ticketNumber(t.id)} approved by ${opts.by}: it may go ahead`);
      } finally {
        await handle.close();
      }
    });
}
