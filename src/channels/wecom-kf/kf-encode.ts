import type { OutboundMessage } from '../../shared/message-types.js';

/** send_msg limits as published: text 2048 bytes, menu head 1024 bytes, ≤ 10 items of ≤ 128-byte id and label. */
export const KF_TEXT_MAX_BYTES = 2048;
const MENU_HEAD_MAX_BYTES = 1024;
const MENU_ITEM_MAX_BYTES = 128;
const MENU_MAX_ITEMS = 10;

/** One `kf/send_msg` body without the addressing; an image is uploaded first (`upload` names the media). */
export type KfPart =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content: string; list: { type: 'click'; click: { id: string; content: string } }[] } }
  | { msgtype: 'image'; upload: { url: string } };

const bytes = (s: string) => Buffer.byteLength(s);

function clip(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (bytes(out + ch) > max - 3) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * One rendered reply → the send_msg bodies it takes (pure). Choices become a msgmenu (its click
 * comes back as a text with `menu_id` = the payload) when they fit the menu's limits, else
 * numbered text (answered with "1"/"2"). A handoff notice for `wecom` mode is sent as text
 * (`plainHandoff`): WeCom's agents take the session, so a "leave the queue" button means nothing.
 */
export function encodeKfReply(message: OutboundMessage, opts: { plainHandoff?: boolean } = {}): KfPart[] {
  const prefix = message.author ? `${message.author.name}: ` : '';
  switch (message.type) {
    case 'text':
      return [{ msgtype: 'text', text: { content: clip(prefix + message.text, KF_TEXT_MAX_BYTES) } }];
    case 'choices': {
      if (opts.plainHandoff && message.handoff) return [{ msgtype: 'text', text: { content: clip(prefix + message.text, KF_TEXT_MAX_BYTES) } }];
      const fits = message.choices.length <= MENU_MAX_ITEMS && message.choices.every((c) => bytes(c.payload) <= MENU_ITEM_MAX_BYTES && bytes(c.label) <= MENU_ITEM_MAX_BYTES) && bytes(prefix + message.text) <= MENU_HEAD_MAX_BYTES;
      if (!fits) {
        const numbered = message.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
        return [{ msgtype: 'text', text: { content: clip(`${prefix}${message.text}\n${numbered}`, KF_TEXT_MAX_BYTES) } }];
      }
      return [{ msgtype: 'msgmenu', msgmenu: { head_content: prefix + message.text, list: message.choices.map((c) => ({ type: 'click', click: { id: c.payload, content: c.label } })) } }];
    }
    case 'card': {
      const text = [message.title, message.body ?? '', ...(message.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean).join('\n');
      return encodeKfReply(message.choices?.length ? { type: 'choices', text, choices: message.choices, author: message.author } : { type: 'text', text, author: message.author }, opts);
    }
    case 'image': {
      const parts: KfPart[] = [];
      if (message.caption || prefix) parts.push({ msgtype: 'text', text: { content: clip(prefix + (message.caption ?? ''), KF_TEXT_MAX_BYTES) } });
      parts.push({ msgtype: 'image', upload: { url: message.url } });
      return parts;
    }
  }
}

/** Our outbound id as send_msg's `msgid` (its idempotency key): `[0-9a-zA-Z_-]`, ≤ 32 characters. */
export function kfMsgId(outboundId: string, part: number): string {
  const base = `sd${outboundId.replace(/[^0-9A-Za-z_-]/g, '')}`.slice(0, 28);
  return part === 0 ? base : `${base}_${part}`;
}
