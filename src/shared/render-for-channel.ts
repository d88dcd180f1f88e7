import type { ChannelCapabilities, OutboundMessage } from './message-types.js';

/**
 * Degrades a message to what a channel can show: choices become numbered text, cards become
 * text, and long text is split at paragraph/sentence boundaries under the channel's limit.
 */
export function renderForChannel(message: OutboundMessage, caps: ChannelCapabilities): OutboundMessage[] {
  let out: OutboundMessage[];
  if (message.type === 'card' && !caps.cards) {
    const lines = [message.title, message.body ?? '', ...(message.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean);
    const text = lines.join('\n');
    out = message.choices?.length ? renderForChannel({ type: 'choices', text, choices: message.choices }, caps) : [{ type: 'text', text }];
  } else if (message.type === 'choices' && !caps.choices) {
    const numbered = message.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
    out = [{ type: 'text', text: `${message.text}\n${numbered}` }];
  } else if (message.type === 'image' && !caps.attachments) {
    out = [{ type: 'text', text: [message.caption, message.url].filter(Boolean).join('\n') }];
  } else {
    out = [message];
  }
  // a staff member's message keeps its author, a handoff notice its marker, through every degradation
  const { author, handoff } = message;
  return out.flatMap((m): OutboundMessage[] => (m.type === 'text' ? splitText(m.text, caps.maxTextLength).map((text) => ({ type: 'text' as const, text })) : [m]))
    .map((m) => (author ? { ...m, author } : m))
    .map((m) => (handoff ? { ...m, handoff } : m));
}

export function splitText(text: string, max: number): string[] {
  if ([...text].length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const chars = [...rest];
    const window = chars.slice(0, max).join('');
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf('。'), window.lastIndexOf('. '), window.lastIndexOf('！'));
    const at = cut > max / 2 ? cut + 1 : window.length;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

const CHINESE_ORDINALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/**
 * When a channel without buttons shows numbered choices, a reply "2" means the second choice:
 * "2", "２", "2.", "选2", "第2个", "第二个", "第二项" (what people type on WeChat and in mail).
 */
export function choiceFromNumber(text: string, choices: { payload: string }[]): string | undefined {
  const m = /^\s*(?:选|选择)?\s*(?:第\s*)?([0-9０-９]{1,2}|[一二两三四五六七八九十])\s*(?:个|项|条|种)?\s*[.。、)）]?\s*$/.exec(text);
  if (!m) return undefined;
  const raw = m[1];
  const n = CHINESE_ORDINALS[raw] ?? Number(raw.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));
  return choices[n - 1]?.payload;
}

/**
 * Renders a turn's replies for a channel; for a channel that wants one message per turn
 * (`mergeReplies`: e-mail, WeChat's quota) consecutive text parts by the same author are joined
 * while they fit the channel's length, and on a channel with choices a text just before a
 * choices message becomes the head of that message. Other kinds (an image) stay separate.
 */
export function renderTurn(replies: OutboundMessage[], caps: ChannelCapabilities): OutboundMessage[] {
  const rendered = replies.flatMap((m) => renderForChannel(m, caps));
  if (!caps.mergeReplies) return rendered;
  const out: OutboundMessage[] = [];
  for (const m of rendered) {
    const prev = out.at(-1);
    if (m.type === 'text' && prev?.type === 'text' && prev.author?.name === m.author?.name && [...prev.text].length + 2 + [...m.text].length <= caps.maxTextLength) {
      out[out.length - 1] = { ...prev, text: `${prev.text}\n\n${m.text}`, ...(m.handoff ? { handoff: true } : {}) };
    } else if (m.type === 'choices' && prev?.type === 'text' && prev.author?.name === m.author?.name && [...prev.text].length + 2 + [...m.text].length <= caps.maxTextLength) {
      out[out.length - 1] = { ...m, text: `${prev.text}\n\n${m.text}`, ...(prev.handoff ? { handoff: true } : {}) };
    } else {
      out.push(m);
    }
  }
  return out;
}
