import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import { parseStoredJson } from '../../shared/stored-json.js';

/**
 * What the Official Account channel keeps on the shared ChannelStateStore (table ChannelState,
 * channel `wechat_oa`), so every process sees it and a restart loses nothing:
 *
 * - `win:<openid>` — the customer-service window: until when WeChat lets us send, and how many
 *   sends are left (WeChat's quota per interaction, see `grant`);
 * - `held:<openid>` — replies waiting for the customer's next contact (window closed, quota
 *   used up, an unverified account's reply that came too late), oldest first;
 * - `out:<outbound id>` — how a reply went out (`passive` in a callback answer, `sent` through
 *   the API, `held`), claimed once so an engine retry never sends it twice;
 * - `seen:<key>` — events already taken in (WeChat retries a callback three times).
 */
const Window = z.object({ until: z.number(), left: z.number().int() });
export type SendWindow = z.infer<typeof Window>;

const HeldItem = z.object({
  /** The outbound message id (or `welcome:<key>`): one entry per reply. */
  id: z.string(),
  text: z.string(),
  at: z.string(),
  /** An unverified account's answer that missed its callback: the customer is told it is late. */
  late: z.boolean().optional(),
});
export type HeldItem = z.infer<typeof HeldItem>;
const Held = z.array(HeldItem);

export type DeliveryMark = 'passive' | 'sent' | 'held';

/** One interaction's grant: sends allowed and for how long. */
export interface WindowGrant { quota: number; periodMs: number }

const MAX_CAS_TRIES = 25;
/** A customer away for weeks while staff keep writing: the oldest held replies go beyond this. */
const MAX_HELD = 30;

const parse = parseStoredJson;

export class OaStore {
  constructor(private readonly state: ChannelStateStore) {}

  /** Read-modify-write with compare-and-set, retried when another process wrote first. */
  private async update<T>(key: string, schema: z.ZodType<T>, fn: (current: T | undefined) => { next?: T; result: unknown }): Promise<unknown> {
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      const raw = await this.state.get(key);
      const { next, result } = fn(parse(schema, raw));
      if (next === undefined) return result;
      if (await this.state.compareAndSet(key, raw, JSON.stringify(next))) return result;
    }
    throw new AppError('CONFLICT', `channel state ${key.split(':')[0]} busy`, { retryable: true });
  }

  async window(openid: string): Promise<SendWindow | undefined> {
    return parse(Window, await this.state.get(`win:${openid}`));
  }

  /**
   * An interaction happened at `at`: WeChat's grants do not add up — the sends left become the
   * larger of what is left and the new grant, the window ends at the later of the two ends.
   */
  async grant(openid: string, at: Date, g: WindowGrant): Promise<SendWindow> {
    return (await this.update(`win:${openid}`, Window, (w) => {
      const now = at.getTime();
      const open = w && w.until > now;
      const next = { until: Math.max(open ? w.until : 0, now + g.periodMs), left: Math.max(open ? w.left : 0, g.quota) };
      return { next, result: next };
    })) as SendWindow;
  }

  /** Takes one send from the window; false when it is closed or used up (then nothing changes). */
  async takeSend(openid: string, now: Date): Promise<boolean> {
    return (await this.update(`win:${openid}`, Window, (w) => {
      if (!w || w.until <= now.getTime() || w.left <= 0) return { result: false };
      return { next: { ...w, left: w.left - 1 }, result: true };
    })) as boolean;
  }

  /** WeChat said the window is closed (45015) or the quota is used (45047): believe it. */
  async closeWindow(openid: string): Promise<void> {
    await this.update(`win:${openid}`, Window, (w) => (w ? { next: { ...w, left: 0 }, result: undefined } : { result: undefined }));
  }

  async held(openid: string): Promise<HeldItem[]> {
    return parse(Held, await this.state.get(`held:${openid}`)) ?? [];
  }

  /** Keeps a reply for the next contact (once per id). */
  async hold(openid: string, item: HeldItem): Promise<void> {
    await this.update(`held:${openid}`, Held, (list = []) => (list.some((h) => h.id === item.id) ? { result: undefined } : { next: [...list, item].slice(-MAX_HELD), result: undefined }));
  }

  /** Takes the held replies (all of them, or those `pick` chooses, in order) out of the list. */
  async takeHeld(openid: string, pick: (items: HeldItem[]) => HeldItem[] = (items) => items): Promise<HeldItem[]> {
    return (await this.update(`held:${openid}`, Held, (list = []) => {
      if (!list.length) return { result: [] };
      const taken = pick(list);
      if (!taken.length) return { result: [] };
      const ids = new Set(taken.map((t) => t.id));
      return { next: list.filter((h) => !ids.has(h.id)), result: taken };
    })) as HeldItem[];
  }

  /** Puts taken replies back at the front (a send that failed after taking them). */
  async unTake(openid: string, items: HeldItem[]): Promise<void> {
    if (!items.length) return;
    await this.update(`held:${openid}`, Held, (list = []) => ({ next: [...items, ...list.filter((h) => !items.some((i) => i.id === h.id))].slice(-MAX_HELD), result: undefined }));
  }

  async delivery(outboundId: string): Promise<DeliveryMark | undefined> {
    const v = await this.state.get(`out:${outboundId}`);
    return v === 'passive' || v === 'sent' || v === 'held' ? v : undefined;
  }

  /** Claims a reply for one way out; false when it already went (or is going) another way. */
  async claimDelivery(outboundId: string, how: DeliveryMark): Promise<boolean> {
    return this.state.compareAndSet(`out:${outboundId}`, undefined, how);
  }

  async markDelivery(outboundId: string, how: DeliveryMark): Promise<void> {
    await this.state.set(`out:${outboundId}`, how);
  }

  /** True the first time an event key is seen. */
  async firstSight(key: string, at: Date): Promise<boolean> {
    return this.state.compareAndSet(`seen:${key}`, undefined, at.toISOString());
  }
}
