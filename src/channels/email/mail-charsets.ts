import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/**
 * Charsets as Chinese mail really uses them. Clients label mail "gb2312" or "gbk" and write
 * GBK or GB18030 (names with rare characters, €, four-byte sequences): every GB label is decoded
 * as GB18030, which contains both. Big5 is decoded with the HKSCS extension (Cantonese
 * characters such as 㗎). An unlabelled or unknown charset, or "utf-8" whose bytes are not
 * UTF-8, is taken as UTF-8 when the bytes are valid UTF-8 and as GB18030 otherwise.
 */
const GB_LABELS = new Set(['gb2312', 'gbk', 'xgbk', 'cp936', 'ms936', 'windows936', 'euccn', 'xeuccn', 'csgb2312', 'gb231280', 'chinese', 'isoir58', 'csiso58gb231280', 'gb18030']);
const BIG5_LABELS = new Set(['big5', 'csbig5', 'cnbig5', 'xxbig5', 'big5hkscs', 'cp950', 'windows950', 'xbig5']);
const SNIFFED_LABELS = new Set(['', 'ascii', 'usascii', 'utf8', 'unicode11utf8', 'xunknown', 'unknown8bit', 'default']);

/** The decoder a label gets: an iconv-lite codec name, or `sniff` (UTF-8 if valid, else GB18030). */
export function charsetFor(label: string | undefined): string {
  const key = (label ?? '').toLowerCase().replace(/["']/g, '').trim().replace(/[^a-z0-9]/g, '');
  if (GB_LABELS.has(key)) return 'gb18030';
  if (BIG5_LABELS.has(key)) return 'big5hkscs';
  if (SNIFFED_LABELS.has(key)) return 'sniff';
  // UTF-7 would let "+ADw-script+AD4-" through a markup filter; base64/hex are not charsets
  if (/^(?:(?:cs)?unicode11)?utf7(?:imap)?$|^base64$|^hex$/.test(key)) return 'sniff';
  return iconv.encodingExists(label ?? '') ? (label as string).trim().replace(/["']/g, '') : 'sniff';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text: UTF-8 when they are valid UTF-8, else GB18030 (the commonest 8-bit charset in Chinese mail). */
export function sniffDecode(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

export function decodeBytes(bytes: Buffer, label: string | undefined): string {
  const charset = charsetFor(label);
  return charset === 'sniff' ? sniffDecode(bytes) : iconv.decode(bytes, charset);
}

/**
 * The `Iconv` class mailparser accepts (`new Iconv(from, 'UTF-8//…')`, a stream of UTF-8 out):
 * mailparser then decodes every text part through `charsetFor` instead of its own GBK mapping.
 */
export class MailIconv extends Transform {
  private readonly charset: string;
  private readonly decoder?: ReturnType<typeof iconv.getDecoder>;
  private readonly sniffed: Buffer[] = [];

  constructor(fromCharset: string, _toCharset: string) {
    super();
    this.charset = charsetFor(fromCharset);
    if (this.charset !== 'sniff') this.decoder = iconv.getDecoder(this.charset);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.decoder) {
      this.sniffed.push(chunk);
      return done();
    }
    const text = this.decoder.write(chunk);
    if (text) this.push(Buffer.from(text, 'utf8'));
    done();
  }

  override _flush(done: TransformCallback): void {
    const text = this.decoder ? (this.decoder.end() ?? '') : sniffDecode(Buffer.concat(this.sniffed));
    if (text) this.push(Buffer.from(text, 'utf8'));
    done();
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toLowerCase() === 'b') return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * Decodes RFC 2047 encoded words (`=?GB2312?B?…?=`) with the charset rules above. Adjacent words
 * of one charset are joined as bytes before decoding: clients split a GBK character across two
 * words. Whitespace between encoded words is dropped, as the RFC says.
 */
export function decodeEncodedWords(value: string): string {
  const parts: ({ kind: 'text'; text: string } | { kind: 'word'; charset: string; bytes: Buffer })[] = [];
  let last = 0;
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    if (between && !(/^\s+$/.test(between) && parts.at(-1)?.kind === 'word')) parts.push({ kind: 'text', text: between });
    const charset = m[1].split('*')[0];
    const bytes = wordBytes(m[2], m[3]);
    const prev = parts.at(-1);
    if (prev?.kind === 'word' && prev.charset.toLowerCase() === charset.toLowerCase()) prev.bytes = Buffer.concat([prev.bytes, bytes]);
    else parts.push({ kind: 'word', charset, bytes });
    last = m.index + m[0].length;
  }
  if (last < value.length) parts.push({ kind: 'text', text: value.slice(last) });
  return parts.map((p) => (p.kind === 'text' ? p.text : decodeBytes(p.bytes, p.charset))).join('');
}

/**
 * The top-level header section of a raw message, unfolded, as raw bytes per lower-case name
 * (a header that repeats keeps every value, first first). 8-bit headers — some Chinese clients
 * write GBK bytes straight into Subject — stay bytes until `headerText` decodes them.
 */
export function readTopHeaders(raw: Buffer): Map<string, Buffer[]> {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf >= 0 ? lf : raw.length;
  const block = raw.subarray(0, end).toString('latin1');
  const headers = new Map<string, Buffer[]>();
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    const list = headers.get(name) ?? [];
    list.push(Buffer.from(line.slice(colon + 1).trim(), 'latin1'));
    headers.set(name, list);
  }
  return headers;
}

/**
 * A header's first value as text, encoded words left as they are. 8-bit bytes (some clients write
 * GBK or Big5 straight into Subject or From) are UTF-8 when valid, else in the message's own
 * charset (`fallbackCharset`, the top-level Content-Type's), else GB18030.
 */
export function rawHeaderText(headers: Map<string, Buffer[]>, name: string, fallbackCharset?: string): string | undefined {
  const raw = headers.get(name)?.[0];
  if (raw === undefined) return undefined;
  try {
    return strictUtf8.decode(raw);
  } catch {
    return decodeBytes(raw, fallbackCharset && charsetFor(fallbackCharset) !== 'sniff' ? fallbackCharset : 'gb18030');
  }
}

/** A header's first value as text: 8-bit bytes as in `rawHeaderText`, encoded words decoded. */
export function headerText(headers: Map<string, Buffer[]>, name: string, fallbackCharset?: string): string | undefined {
  const text = rawHeaderText(headers, name, fallbackCharset);
  return text === undefined ? undefined : decodeEncodedWords(text).replace(/\s+/g, ' ').trim();
}

/** The `charset` parameter of a Content-Type value. */
export function charsetParam(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
}

/** Every value of a header as plain ASCII-safe text (for ids and flags; no decoding needed). */
export function headerValues(headers: Map<string, Buffer[]>, name: string): string[] {
  return (headers.get(name) ?? []).map((b) => sniffDecode(b).trim());
}
