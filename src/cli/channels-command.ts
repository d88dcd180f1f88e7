import type { Command } from 'commander';
import { AppError } from '../shared/app-error.js';
import type { CliDbDeps } from './import-command.js';

/** Channels with a kill switch in their state (`paused` = '1'), obeyed before each send. */
const PAUSABLE = ['wechaty'];

interface ChannelStatusLine {
  state: string;
  detail?: string;
  since?: string;
  placement?: string;
  counters?: Record<string, number>;
}

/**
 * `shopdesk channels status`: the lifecycle channels of the running shopdesk (its `/readyz`), one
 * line each — state, since when, why, and the counters worth watching. Exit code 1 when one is down.
 * With several processes, each answers for itself: a singleton shows `standby` where another
 * process holds it.
 */
export function registerChannelsCommand(program: Command, deps: { url: () => string; openDb?: CliDbDeps['openDb'] }): void {
  const channels = program.command('channels').description('the channels of the running shopdesk (e-mail, wechaty, …)');
  channels.command('status').description('state, detail and counters of each channel').option('--url <url>', 'the running shopdesk (default SHOPDESK_URL, PUBLIC_URL or HOST:PORT)').option('--json', 'print JSON').action(async (o: { url?: string; json?: boolean }) => {
    const base = (o.url ?? deps.url()).replace(/\/$/, '');
    let body: { channels?: Record<string, ChannelStatusLine> };
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) });
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new AppError('CHANNEL_SEND_FAILED', `cannot reach ${base}`, { userMessage: `shopdesk is not reachable at ${base} (${(err as Error).message}). Start it, or set SHOPDESK_URL / --url.` });
    }
    const list = body.channels ?? {};
    if (o.json) console.log(JSON.stringify(list, null, 2));
    else if (!Object.keys(list).length) console.log('no lifecycle channels configured (e-mail: EMAIL_IMAP_URL, EMAIL_SMTP_URL, EMAIL_ADDRESS; wechaty: WECHATY_PUPPET)');
    else {
      for (const [id, h] of Object.entries(list)) {
        const counters = Object.entries(h.counters ?? {}).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ');
        console.log(`${id.padEnd(8)} ${h.state.padEnd(9)} ${(h.placement ?? '').padEnd(9)} since ${h.since ?? '?'}  ${h.detail ?? ''}${counters ? `\n         ${counters}` : ''}`);
      }
    }
    if (Object.values(list).some((h) => h.state === 'down')) process.exitCode = 1;
  });

  // the kill switch without a restart: the channel reads it from the database before every send
  const toggle = (paused: boolean) => async (id: string): Promise<void> => {
    if (!PAUSABLE.includes(id)) throw new AppError('VALIDATION_FAILED', `channel ${id} cannot be paused`, { userMessage: `Only ${PAUSABLE.join(', ')} can be paused (its sends are held in its outbox, not dropped).` });
    const openDb = deps.openDb;
    if (!openDb) throw new AppError('INTERNAL', 'no database for the CLI');
    const handle = await openDb();
    try {
      const { createCrm } = await import('../crm/index.js');
      await createCrm(handle.db).channelState(id).set('paused', paused ? '1' : '0');
    } finally {
      await handle.close();
    }
    console.log(paused ? `${id}: sending paused; replies wait in its outbox (resume: shopdesk channels resume ${id})` : `${id}: sending resumed; what waited goes out at the account's pace`);
  };
  channels.command('pause').description('kill switch: stop a channel sending (wechaty); replies wait, nothing is dropped').argument('<channel>', 'wechaty').action(toggle(true));
  channels.command('resume').description('let a paused channel send again').argument('<channel>', 'wechaty').action(toggle(false));
}
