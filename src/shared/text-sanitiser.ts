/**
 * Makes any string storable on every provider: PostgreSQL rejects NUL in text, and a lone UTF-16
 * surrogate (a broken emoji, invalid UTF-8 decoded by a platform) cannot be encoded as UTF-8.
 * Control characters other than tab and newlines go — C0, DEL and the C1 range U+0080–U+009F
 * (U+009B is a one-character terminal escape, CSI: it must never reach a staff terminal) — and
 * lone surrogates become U+FFFD.
 */
export function sanitiseText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Applies sanitiseText to every string inside a JSON-like value. */
export function sanitiseDeep<T>(value: T): T {
  if (typeof value === 'string') return sanitiseText(value) as T;
  if (Array.isArray(value)) return value.map((v) => sanitiseDeep(v)) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitiseDeep(v)])) as T;
}
