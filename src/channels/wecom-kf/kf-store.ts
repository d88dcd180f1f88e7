import { z } from 'zod';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import type { OutboundEnvelope } from '../../shared/message-types.js';
import { parseStoredJson } from '../../shared/stored-json.js';

/**
 * What the kf channel keeps on the shared ChannelStateStore (table ChannelState, channel
 * `wecom_kf`), so every process sees it and a restart loses nothing:
 *
 * - `cursor:<open_kfid>` — the sync_msg cursor, moved by compare-and-set only after every message
 *   of the page is stored (exactly once across restarts);
 * - `signal:<open_kfid>` — the latest callback token and when it came: what the next pull uses,
 *   and how a pull that another process missed is noticed;
 * - `sent:<msgid>` — a send_msg that went out (a retried delivery does not send it again);
 * - `held:<thread>` — replies the platform refused because the customer's window is closed,
 *   sent when they next write;
 * - `agents:<thread>` — the session was moved to WeCom's own agents (`wecom` handoff mode): from
 *   then on shopdesk records and does not send.
 */
const Signal = z.object({ token: z.string(), at: z.number() });
export type KfSignal = z.infer<typeof Signal>;
const Held = z.array(z.object({ messageId: z.string(), message: z.unknown(), createdAt: z.string() }));
const Agents = z.object({ at: z.string(), state: z.number() });

const MAX_HELD = 50;

const parse = parseStoredJson;

export class KfStore {
  constructor(private readonly state: ChannelStateStore) {}

  /** The stored cursor as written (pass it back to `moveCursor`). */
  cursor(openKfid: string): Promise<string | undefined> {
    return this.state.get(`cursor:${openKfid}`);
  }

  /** Moves the cursor only if it still holds `from`; false when another puller moved it first. */
  moveCursor(openKfid: string, from: string | undefined, to: string): Promise<boolean> {
    return this.state.compareAndSet(`cursor:${openKfid}`, from, to);
  }

  async signal(openKfid: string): Promise<KfSignal | undefined> {
    return parse(Signal, await this.state.get(`signal:${openKfid}`));
  }

  async saveSignal(openKfid: string, signal: KfSignal): Promise<void> {
    await this.state.set(`signal:${openKfid}`, JSON.stringify(signal));
  }

  async wasSent(msgid: string): Promise<boolean> {
    return (await this.state.get(`sent:${msgid}`)) !== undefined;
  }

  async markSent(msgid: string, at: Date): Promise<void> {
    await this.state.set(`sent:${msgid}`, at.toISOString());
  }

  async held(threadId: string): Promise<{ raw?: string; items: { messageId: string; message: unknown; createdAt: string }[] }> {
    const raw = await this.state.get(`held:${threadId}`);
    return { raw, items: parse(Held, raw) ?? [] };
  }

  /** Adds a reply to the thread's held list (once per message id); false when the list is full. */
  async hold(env: OutboundEnvelope): Promise<boolean> {
    for (let i = 0; i < 10; i++) {
      const { raw, items } = await this.held(env.threadId);
      if (items.some((h) => h.messageId === env.messageId)) return true;
      if (items.length >= MAX_HELD) return false;
      const next = [...items, { messageId: env.messageId, message: env.message, createdAt: env.createdAt.toISOString() }];
      if (await this.state.compareAndSet(`held:${env.threadId}`, raw, JSON.stringify(next))) return true;
    }
    return false;
  }

  /** Takes the held list if it is still `raw` (one flusher wins). */
  async takeHeld(threadId: string, raw: string): Promise<boolean> {
    return this.state.compareAndSet(`held:${threadId}`, raw, '[]');
  }

  /** The kf accounts that ever signalled (so a restart knows whom to catch up). */
  async accounts(): Promise<string[]> {
    return parse(z.array(z.string()), await this.state.get('accounts')) ?? [];
  }

  async addAccount(openKfid: string): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const raw = await this.state.get('accounts');
      const list = parse(z.array(z.string()), raw) ?? [];
      if (list.includes(openKfid)) return;
      if (await this.state.compareAndSet('accounts', raw, JSON.stringify([...list, openKfid]))) return;
    }
  }

  async withAgents(threadId: string): Promise<boolean> {
    return parse(Agents, await this.state.get(`agents:${threadId}`)) !== undefined;
  }

  async markWithAgents(threadId: string, state: number, at: Date): Promise<void> {
    await this.state.set(`agents:${threadId}`, JSON.stringify({ at: at.toISOString(), state }));
  }

  /** The WeCom agent ended the session: shopdesk may answer again. */
  async clearAgents(threadId: string): Promise<void> {
    if (await this.withAgents(threadId)) await this.state.set(`agents:${threadId}`, 'null');
  }
}
