import type { Command } from 'commander';
import { AppError } from '../shared/app-error.js';

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
export function registerChannelsCommand(program: Command, deps: { url: () => string }): void {
  const channels = program.command('channels').description('the channels of the running shopdesk (e-mail, …)');
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
    else if (!Object.keys(list).length) console.log('no lifecycle channels configured (e-mail: EMAIL_IMAP_URL, EMAIL_SMTP_URL, EMAIL_ADDRESS)');
    else {
      for (const [id, h] of Object.entries(list)) {
        const counters = Object.entries(h.counters ?? {}).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ');
        console.log(`${id.padEnd(8)} ${h.state.padEnd(9)} ${(h.placement ?? '').padEnd(9)} since ${h.since ?? '?'}  ${h.detail ?? ''}${counters ? `\n         ${counters}` : ''}`);
      }
    }
    if (Object.values(list).some((h) => h.state === 'down')) process.exitCode = 1;
  });
}
