/**
 * HTML mail to plain text, leaving out what mail clients mark as the quoted earlier message:
 * `<blockquote>`, Gmail's `gmail_quote`, Outlook's `divRplyFwdMsg` (and everything after it),
 * Apple Mail's `type=cite`, NetEase's `isReplyContent`, QQ Mail's "原始邮件" block, Yahoo's
 * `yahoo_quoted`. Scripts, styles and comments are dropped. The result still goes through the
 * text rules of mail-quote-stripper.ts.
 */
const ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', thinsp: ' ',
  mdash: '—', ndash: '–', hellip: '…', middot: '·', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’',
  yen: '¥', euro: '€', copy: '©', reg: '®', times: '×', laquo: '«', raquo: '»', bull: '•',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK = new Set(['p', 'div', 'br', 'tr', 'li', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr', 'section', 'article', 'header', 'footer', 'blockquote', 'dd', 'dt']);
const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'col', 'area', 'base', 'wbr', 'source']);
const SKIP_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
/** Containers that hold the quoted earlier message. */
function isQuote(tag: string, attrs: string): boolean {
  if (tag === 'blockquote') return true;
  return /\b(?:class|id)\s*=\s*["']?[^"'>]*\b(?:gmail_quote|yahoo_quoted|isReplyContent|reply-quote|moz-cite-prefix|OutlookMessageHeader)\b/i.test(attrs);
}
/** Markers after which everything is the earlier message (Outlook, QQ Mail, Foxmail). */
function startsTail(tag: string, attrs: string): boolean {
  return /\bid\s*=\s*["']?(?:divRplyFwdMsg|appendonsend|x_divRplyFwdMsg|reply-content|origbody)\b/i.test(attrs)
    || (tag === 'hr' && /\bid\s*=\s*["']?stopSpelling/i.test(attrs));
}

export function htmlToText(html: string): string {
  let out = '';
  const stack: { tag: string; hidden: boolean }[] = [];
  const hidden = () => stack.some((s) => s.hidden);
  const src = html.replace(/<!--[\s\S]*?-->/g, '');
  const tagRe = /<\/?([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>/g;
  let last = 0;
  for (const m of src.matchAll(tagRe)) {
    if (!hidden()) out += src.slice(last, m.index).replace(/\s+/g, ' ');
    last = m.index + m[0].length;
    const tag = m[1].toLowerCase();
    const attrs = m[2] ?? '';
    const closing = m[0][1] === '/';
    if (!closing && startsTail(tag, attrs)) return finish(out);
    if (closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
    } else if (!VOID.has(tag) && !attrs.trimEnd().endsWith('/')) {
      stack.push({ tag, hidden: SKIP_CONTENT.has(tag) || isQuote(tag, attrs) });
    }
    if (!hidden() && BLOCK.has(tag)) out += tag === 'li' && !closing ? '\n- ' : '\n';
  }
  if (!hidden()) out += src.slice(last).replace(/\s+/g, ' ');
  return finish(out);
}

function finish(text: string): string {
  return decodeEntities(text)
    .split('\n').map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim()).join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
