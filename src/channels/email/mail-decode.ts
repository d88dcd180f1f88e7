import { createHash } from 'node:crypto';
import { parseAddressHeader, simpleParser, type ParsedMail } from 'mailparser';
import { charsetParam, decodeEncodedWords, headerText, headerValues, MailIconv, rawHeaderText, readTopHeaders } from './mail-charsets.js';
import { htmlToText } from './mail-html-text.js';
import { stripQuotedReply } from './mail-quote-stripper.js';

/** Header facts the loop guard reads (mail-loop-guard.ts). */
export interface LoopMarks {
  autoSubmitted?: string;
  precedence?: string;
  listId?: string;
  listUnsubscribe: boolean;
  /** `<>` for a bounce; undefined when the header is absent (mail put in by APPEND has none). */
  returnPath?: string;
  /** The top-level Content-Type value, lower case (`multipart/report` for a DSN). */
  contentType: string;
  /** X-Autoreply / X-Autorespond / X-Auto-Response-Suppress-style markers other systems set. */
  autoHeaders: string[];
}

export interface MailAttachment {
  filename?: string;
  contentType: string;
  bytes: Buffer;
  /** Embedded in the HTML (a pasted screenshot, a signature logo). */
  inline: boolean;
}

export interface DecodedMail {
  /** The Message-ID with its brackets, or a stable `<sha256…@shopdesk.invalid>` for a mail without one. */
  messageId: string;
  hasMessageId: boolean;
  inReplyTo?: string;
  /** References, oldest first. */
  references: string[];
  from?: { address: string; name?: string };
  to: string[];
  cc: string[];
  subject: string;
  date?: Date;
  /** What the sender wrote: HTML turned into text, quoted earlier mail and signature left out. */
  text: string;
  /** True when a quote or signature was taken off. */
  quoted: boolean;
  attachments: MailAttachment[];
  marks: LoopMarks;
  /** Content-Language, if the sender's client set it. */
  language?: string;
  /** Set when the body could not be parsed (malformed MIME): the headers are still read. */
  unreadable?: string;
}

export const MAX_TEXT_CHARS = 8_000;
const MESSAGE_ID = /<[^<>\s]+>/g;

function ids(values: string[]): string[] {
  return values.flatMap((v) => v.match(MESSAGE_ID) ?? (v && !/\s/.test(v) ? [`<${v.replace(/^<|>$/g, '')}>`] : []));
}

function lowerAddress(a: string | undefined): string | undefined {
  const t = a?.trim().toLowerCase();
  return t && /^[^\s@]+@[^\s@]+$/.test(t) ? t : undefined;
}

function addresses(headers: Map<string, Buffer[]>, name: string): string[] {
  const raw = headerValues(headers, name);
  if (!raw.length) return [];
  const flatten = (list: { address?: string; group?: { address?: string }[] }[]): string[] => list.flatMap((a) => (a.group ? flatten(a.group) : [a.address ?? '']));
  return flatten(parseAddressHeader(raw).value).map(lowerAddress).filter((a): a is string => Boolean(a));
}

function sender(headers: Map<string, Buffer[]>, charset: string | undefined): DecodedMail['from'] {
  const raw = rawHeaderText(headers, 'from', charset)?.trim();
  if (!raw) return undefined;
  const parsed = parseAddressHeader(raw).value[0];
  const address = lowerAddress(parsed?.address);
  if (!address) return undefined;
  // the display name again with our charset rules (GB2312 labels decoded as GB18030)
  const nameRaw = /^\s*(.*?)\s*<[^<>]*>\s*$/.exec(raw)?.[1]?.replace(/^"|"$/g, '');
  const name = (nameRaw ? decodeEncodedWords(nameRaw) : parsed?.name)?.replace(/\s+/g, ' ').trim();
  return { address, name: name || undefined };
}

function bodyText(parsed: ParsedMail): string {
  if (parsed.text?.trim()) return parsed.text;
  return typeof parsed.html === 'string' ? htmlToText(parsed.html) : '';
}

/**
 * Raw RFC 822 bytes → what the channel needs. Never throws for a bad mail: malformed MIME still
 * yields the headers and `unreadable`, so the mail is stored (and staff see it) instead of lost.
 */
export async function decodeMail(raw: Buffer, opts: { maxTextChars?: number } = {}): Promise<DecodedMail> {
  const headers = readTopHeaders(raw);
  const messageIdHeader = ids(headerValues(headers, 'message-id'))[0];
  const contentTypeHeader = headerValues(headers, 'content-type')[0] ?? 'text/plain';
  const contentType = contentTypeHeader.split(';')[0].trim().toLowerCase();
  const mail: DecodedMail = {
    messageId: messageIdHeader ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@shopdesk.invalid>`,
    hasMessageId: Boolean(messageIdHeader),
    inReplyTo: ids(headerValues(headers, 'in-reply-to')).at(-1),
    references: ids(headerValues(headers, 'references')),
    from: sender(headers, charsetParam(contentTypeHeader)),
    to: addresses(headers, 'to'),
    cc: addresses(headers, 'cc'),
    subject: headerText(headers, 'subject', charsetParam(contentTypeHeader)) ?? '',
    text: '',
    quoted: false,
    attachments: [],
    marks: {
      autoSubmitted: headerValues(headers, 'auto-submitted')[0]?.toLowerCase(),
      precedence: headerValues(headers, 'precedence')[0]?.toLowerCase(),
      listId: headerValues(headers, 'list-id')[0],
      listUnsubscribe: headers.has('list-unsubscribe'),
      returnPath: headerValues(headers, 'return-path')[0],
      contentType,
      autoHeaders: ['x-autoreply', 'x-autorespond', 'x-autogenerated', 'x-auto-response', 'x-ms-exchange-generated-message-source']
        .filter((h) => headers.has(h)),
    },
    language: headerValues(headers, 'content-language')[0]?.split(',')[0].trim() || undefined,
  };
  const dateText = headerValues(headers, 'date')[0];
  const date = dateText ? new Date(dateText) : undefined;
  if (date && !Number.isNaN(date.getTime())) mail.date = date;
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      Iconv: MailIconv, skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true,
      maxHtmlLengthToParse: 2_000_000, checksumAlgo: false,
    });
  } catch (err) {
    mail.unreadable = (err as Error).message.slice(0, 200);
    return mail;
  }
  // NUL bytes and lone surrogates are taken out by the engine's sanitiser before storing
  const full = bodyText(parsed);
  const { text, stripped } = stripQuotedReply(full);
  mail.text = [...text].slice(0, opts.maxTextChars ?? MAX_TEXT_CHARS).join('');
  mail.quoted = stripped;
  mail.attachments = parsed.attachments
    .filter((a) => a.contentType !== 'message/delivery-status' && a.content.length > 0)
    .map((a) => ({ filename: a.filename ? decodeEncodedWords(a.filename) : undefined, contentType: a.contentType.toLowerCase(), bytes: a.content, inline: Boolean(a.related || a.contentDisposition === 'inline') }));
  return mail;
}
