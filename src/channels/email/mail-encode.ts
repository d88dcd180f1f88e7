import type { OutboundMessage } from '../../shared/message-types.js';
import type { MailThread } from './email-store.js';
import { replySubject } from './mail-threading.js';

/**
 * A rendered reply as a mail: subject with the conversation token, threading headers, a text and
 * an HTML part with the same content. Pure; the adapter adds the addresses and sends it.
 */
export interface EncodedMail {
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string;
  references: string[];
  headers: Record<string, string>;
  /** A staff image from the media store to attach (its `/media/<id>` id). */
  imageMediaId?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Visible text of any outbound message (choices numbered: the customer answers "2"). */
export function messageText(m: OutboundMessage): string {
  switch (m.type) {
    case 'text': return m.text;
    case 'choices': return `${m.text}\n${m.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
    case 'card': return [m.title, m.body, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(m.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`)].filter(Boolean).join('\n');
    case 'image': return m.caption ?? '';
  }
}

function textToHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p style="margin:0 0 1em">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return paragraphs.join('\n');
}

const MEDIA_PATH = /\/media\/([a-f0-9]{32})(?:[?#].*)?$/;

export function encodeReply(message: OutboundMessage, thread: MailThread, opts: { shopName: string; fromStaff: boolean }): EncodedMail {
  const body = messageText(message);
  const signature = message.author ? `${message.author.name} · ${opts.shopName}` : opts.shopName;
  const imageMediaId = message.type === 'image' ? MEDIA_PATH.exec(message.url)?.[1] : undefined;
  const imageLink = message.type === 'image' && !imageMediaId ? message.url : undefined;
  const text = [body, imageLink, '', `-- `, signature].filter((l) => l !== undefined).join('\n').replace(/^\n+/, '');
  const html = [
    '<!doctype html><html><body style="font-family:-apple-system,\'PingFang SC\',\'Microsoft YaHei\',Arial,sans-serif;font-size:14px;line-height:1.6">',
    body ? textToHtml(body) : '',
    imageMediaId ? '<p><img src="cid:staff-image@shopdesk" alt="" style="max-width:100%"></p>' : '',
    imageLink ? `<p><a href="${escapeHtml(imageLink)}">${escapeHtml(imageLink)}</a></p>` : '',
    `<p style="color:#888;font-size:12px">— ${escapeHtml(signature)}</p>`,
    '</body></html>',
  ].filter(Boolean).join('\n');
  // RFC 3834: automatic replies say so (and Outlook is asked not to answer them with its own);
  // a person's reply written at the desk is not automatic
  const headers: Record<string, string> = opts.fromStaff ? {} : { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' };
  const references = [...thread.refs];
  return { subject: replySubject(thread), text, html, inReplyTo: thread.lastInbound, references, headers, imageMediaId };
}
