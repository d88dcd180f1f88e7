import type { OutboundMessage } from '../../shared/message-types.js';
import type { HeldItem } from './oa-store.js';

/**
 * A text message's limit: WeChat takes 2048 bytes of Content in a passive reply; 600 characters
 * of Chinese (3 bytes each in UTF-8) stay under it with room for the "late" note.
 */
export const OA_TEXT_MAX = 600;

/** Shown before an answer that missed the callback it belonged to (unverified accounts). */
export const LATE_NOTE = '（抱歉，这条回复晚了 / Sorry, this answer comes late）';

/** What WeChat shows for one outbound message: the engine already rendered it for our capabilities (text). */
export function oaText(m: OutboundMessage): string {
  switch (m.type) {
    case 'text': return m.text;
    case 'choices': return `${m.text}\n${m.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
    case 'image': return [m.caption, m.url].filter(Boolean).join('\n');
    case 'card': return [m.title, m.body, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean).join('\n');
  }
}

function itemText(h: HeldItem, noteGiven: boolean): string {
  return h.late && !noteGiven ? `${LATE_NOTE}\n${h.text}` : h.text;
}

/**
 * Joins waiting replies into as few WeChat messages as possible (each message counts against
 * the quota per customer message), in order, each at most `max` characters. A single reply
 * longer than `max` is cut at `max` (the engine splits long text before it gets here).
 */
export function packItems(items: HeldItem[], max = OA_TEXT_MAX): { text: string; items: HeldItem[] }[] {
  const packs: { text: string; items: HeldItem[] }[] = [];
  let noteGiven = false;
  for (const h of items) {
    const text = [...itemText(h, noteGiven)].slice(0, max).join('');
    noteGiven ||= Boolean(h.late);
    const last = packs.at(-1);
    if (last && [...last.text].length + 2 + [...text].length <= max) {
      last.text = `${last.text}\n\n${text}`;
      last.items.push(h);
    } else {
      packs.push({ text, items: [h] });
    }
  }
  return packs;
}

/** The fields of a passive text reply (被动回复用户消息): to the customer, from our account's id. */
export function passiveTextFields(openid: string, accountId: string, text: string, now: Date): Record<string, string | number> {
  return { ToUserName: openid, FromUserName: accountId, CreateTime: Math.floor(now.getTime() / 1000), MsgType: 'text', Content: text };
}
