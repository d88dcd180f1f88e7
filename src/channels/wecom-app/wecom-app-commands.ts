/**
 * What a staff member typed in the WeCom app, as a command (pure). The app is a one-to-one chat
 * between each staff member and shopdesk, so words select the conversation instead of threads:
 *
 * - `接 123` / `接单 123` / `/claim 123` — claim conversation 123; it becomes the selected one.
 * - `切换 123` / `/use 123` — select a conversation already held (plain messages then go to it).
 * - `结束` / `/resolve`, `释放` / `/release` — the selected conversation (or `结束 123`).
 * - `备注: …` / `note: …` — an internal note on the selected conversation.
 * - `问: …` / `/ask …` / a leading `?` — always a question for the managers' assistant.
 * - `帮助` / `/help` — what the app understands.
 * - anything else — a reply to the customer of the selected conversation, or, with none selected,
 *   a question for the assistant.
 */
export type WecomStaffCommand =
  | { type: 'claim'; conversationId: number }
  | { type: 'select'; conversationId: number }
  | { type: 'resolve' | 'release'; conversationId?: number }
  | { type: 'note'; text: string }
  | { type: 'ask'; text: string }
  | { type: 'help' }
  | { type: 'text'; text: string };

/** Conversation numbers as staff see them: `#123`, `123`, `＃１２３`. */
const NUMBER = /^[#＃]?\s*([0-9０-９]{1,9})$/;

function conversationNumber(s: string | undefined): number | undefined {
  const m = NUMBER.exec((s ?? '').trim());
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const WORDS: { re: RegExp; type: 'claim' | 'select' | 'resolve' | 'release'; needsNumber: boolean }[] = [
  { re: /^(?:接单|接手|接|\/?claim)(?:\s+|(?=[#＃0-9０-９]))(.*)$/i, type: 'claim', needsNumber: true },
  { re: /^(?:切换到|切换|\/?use|\/?switch)(?:\s+|(?=[#＃0-9０-９]))(.*)$/i, type: 'select', needsNumber: true },
  { re: /^(?:结束|解决|\/resolve|resolve)(?:\s+(.*))?$/i, type: 'resolve', needsNumber: false },
  { re: /^(?:释放|退回|\/release|release)(?:\s+(.*))?$/i, type: 'release', needsNumber: false },
];

const NOTE = /^\s*(?:note|备注|内部备注|內部備註)\s*[:：]\s*/i;
const ASK = /^\s*(?:(?:问|ask)\s*[:：]|\/ask\b|[?？])\s*/i;
const HELP = /^\s*(?:帮助|help|\/help|\?|？)\s*$/i;

export function parseStaffCommand(raw: string): WecomStaffCommand {
  const text = raw.trim();
  if (HELP.test(text)) return { type: 'help' };
  for (const w of WORDS) {
    const m = w.re.exec(text);
    if (!m) continue;
    const n = conversationNumber(m[1]);
    if (w.needsNumber) {
      if (n !== undefined) return { type: w.type as 'claim' | 'select', conversationId: n };
      continue;
    }
    if (!m[1]?.trim()) return { type: w.type as 'resolve' | 'release' };
    if (n !== undefined) return { type: w.type as 'resolve' | 'release', conversationId: n };
  }
  const note = NOTE.exec(text);
  if (note) return { type: 'note', text: text.slice(note[0].length).trim() };
  const ask = ASK.exec(text);
  if (ask) return { type: 'ask', text: text.slice(ask[0].length).trim() };
  return { type: 'text', text };
}

/** Card buttons carry `claim:123` (WeCom sends the key back in the template_card_event). */
export function buttonKey(action: 'claim' | 'resolve' | 'release', conversationId: number): string {
  return `${action}:${conversationId}`;
}

export function parseButtonKey(key: string): { action: 'claim' | 'resolve' | 'release'; conversationId: number } | undefined {
  const m = /^(claim|resolve|release):(\d{1,9})$/.exec(key.trim());
  return m ? { action: m[1] as 'claim' | 'resolve' | 'release', conversationId: Number(m[2]) } : undefined;
}
