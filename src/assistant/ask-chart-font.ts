import { existsSync, readFileSync } from 'node:fs';

/**
 * Fonts for chart rendering. resvg reads the font file again for every text it lays out, so a
 * 17 MB CJK collection (fonts-wqy-zenhei) costs tens of ms per label. Charts are therefore set
 * in a per-chart subset: the collection's first face, with every glyph the chart does not use
 * emptied (a few hundred KB; glyph ids and metrics unchanged). Latin text (numbers, dates) is
 * set in DejaVu Sans when present.
 */
export const LATIN_FONT_CANDIDATES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'];

const faces = new Map<string, Buffer>();

/** The font at `path` as one face: the file itself, or the first face of a collection (.ttc); read once. */
export function singleFace(path: string): Buffer {
  let face = faces.get(path);
  if (!face) {
    const data = readFileSync(path);
    face = data.toString('latin1', 0, 4) === 'ttcf' ? firstFace(data) : data;
    faces.set(path, face);
  }
  return face;
}

export function latinFont(): string | undefined {
  return LATIN_FONT_CANDIDATES.find((p) => existsSync(p));
}

/** The first font of a TrueType/OpenType collection as a standalone font file. */
export function firstFace(ttc: Buffer): Buffer {
  const offset = ttc.readUInt32BE(12);
  const numTables = ttc.readUInt16BE(offset + 4);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const r = offset + 12 + i * 16;
    return { record: ttc.subarray(r, r + 16), from: ttc.readUInt32BE(r + 8), length: ttc.readUInt32BE(r + 12) };
  });
  const headerLength = 12 + numTables * 16;
  const out = Buffer.alloc(headerLength + tables.reduce((s, t) => s + ((t.length + 3) & ~3), 0));
  ttc.copy(out, 0, offset, offset + 12);
  let at = headerLength;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    t.record.copy(out, r);
    out.writeUInt32BE(at, r + 8);
    ttc.copy(out, at, t.from, t.from + t.length);
    at += (t.length + 3) & ~3;
  });
  return out;
}

/** The family name (name ID 1) of a single-face font, read from its `name` table. */
export function familyName(data: Buffer): string | undefined {
  const numTables = data.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const r = 12 + i * 16;
    if (data.toString('latin1', r, r + 4) !== 'name') continue;
    const table = data.readUInt32BE(r + 8);
    const count = data.readUInt16BE(table + 2);
    const strings = table + data.readUInt16BE(table + 4);
    let latin: string | undefined;
    for (let k = 0; k < count; k++) {
      const n = table + 6 + k * 12;
      const [platform, , language, nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => data.readUInt16BE(n + o));
      if (nameId !== 1) continue;
      const bytes = data.subarray(strings + offset, strings + offset + length);
      if (platform === 3 && (language === 0x409 || !latin)) {
        const text = Buffer.from(bytes).swap16().toString('utf16le');
        if (language === 0x409) return text;
        latin ??= text;
      } else if (platform === 1) latin ??= bytes.toString('latin1');
    }
    return latin;
  }
  return undefined;
}

interface TableRecord { tag: string; data: Buffer }

function tablesOf(font: Buffer): TableRecord[] {
  const n = font.readUInt16BE(4);
  return Array.from({ length: n }, (_, i) => {
    const r = 12 + i * 16;
    const from = font.readUInt32BE(r + 8);
    return { tag: font.toString('latin1', r, r + 4), data: font.subarray(from, from + font.readUInt32BE(r + 12)) };
  });
}

function writeFont(sfntVersion: number, tables: TableRecord[]): Buffer {
  const header = 12 + tables.length * 16;
  const out = Buffer.alloc(header + tables.reduce((s, t) => s + ((t.data.length + 3) & ~3), 0));
  out.writeUInt32BE(sfntVersion, 0);
  out.writeUInt16BE(tables.length, 4);
  let pow = 1;
  let log = 0;
  while (pow * 2 <= tables.length) { pow *= 2; log++; }
  out.writeUInt16BE(pow * 16, 6);
  out.writeUInt16BE(log, 8);
  out.writeUInt16BE(tables.length * 16 - pow * 16, 10);
  let at = header;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    out.write(t.tag, r, 'latin1');
    out.writeUInt32BE(0, r + 4);
    out.writeUInt32BE(at, r + 8);
    out.writeUInt32BE(t.data.length, r + 12);
    t.data.copy(out, at);
    at += (t.data.length + 3) & ~3;
  });
  return out;
}

/** Glyph ids of characters through the font's Unicode cmap (format 12 or 4). */
function glyphsOf(cmap: Buffer, chars: number[]): number[] {
  const count = cmap.readUInt16BE(2);
  let best: { format: number; at: number } | undefined;
  for (let i = 0; i < count; i++) {
    const r = 4 + i * 8;
    const platform = cmap.readUInt16BE(r);
    const encoding = cmap.readUInt16BE(r + 2);
    const at = cmap.readUInt32BE(r + 4);
    const format = cmap.readUInt16BE(at);
    if ((platform === 3 && (encoding === 10 || encoding === 1)) || platform === 0) {
      if (format === 12 || (format === 4 && !best)) best = { format, at };
    }
  }
  if (!best) return [];
  const { format, at } = best;
  return chars.map((c) => {
    if (format === 12) {
      const groups = cmap.readUInt32BE(at + 12);
      for (let g = 0; g < groups; g++) {
        const r = at + 16 + g * 12;
        const start = cmap.readUInt32BE(r);
        if (c >= start && c <= cmap.readUInt32BE(r + 4)) return cmap.readUInt32BE(r + 8) + (c - start);
      }
      return 0;
    }
    const segs = cmap.readUInt16BE(at + 6) / 2;
    const ends = at + 14;
    const starts = ends + segs * 2 + 2;
    const deltas = starts + segs * 2;
    const offsets = deltas + segs * 2;
    for (let s = 0; s < segs; s++) {
      if (cmap.readUInt16BE(ends + s * 2) < c) continue;
      const start = cmap.readUInt16BE(starts + s * 2);
      if (c < start) return 0;
      const delta = cmap.readInt16BE(deltas + s * 2);
      const ro = cmap.readUInt16BE(offsets + s * 2);
      if (ro === 0) return (c + delta) & 0xffff;
      const g = cmap.readUInt16BE(offsets + s * 2 + ro + (c - start) * 2);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  });
}

/**
 * The font with only the glyphs `text` needs (and their composite parts): every other glyph is
 * emptied, ids and metrics stay as they were. A few hundred KB instead of 12 MB, which resvg
 * reads far faster for each text it lays out.
 */
export function subsetFont(font: Buffer, text: string): Buffer {
  const tables = tablesOf(font);
  const get = (tag: string) => tables.find((t) => t.tag === tag)?.data;
  const head = get('head');
  const maxp = get('maxp');
  const loca = get('loca');
  const glyf = get('glyf');
  const cmap = get('cmap');
  if (!head || !maxp || !loca || !glyf || !cmap) return font;
  const numGlyphs = maxp.readUInt16BE(4);
  const long = head.readInt16BE(50) === 1;
  const offset = (g: number) => (long ? loca.readUInt32BE(g * 4) : loca.readUInt16BE(g * 2) * 2);
  const keep = new Set<number>([0]);
  const queue = glyphsOf(cmap, [...new Set([...text].map((ch) => ch.codePointAt(0)!))]).filter((g) => g > 0 && g < numGlyphs);
  while (queue.length) {
    const g = queue.pop()!;
    if (keep.has(g)) continue;
    keep.add(g);
    const from = offset(g);
    if (offset(g + 1) - from < 10 || glyf.readInt16BE(from) >= 0) continue;
    // a composite glyph: keep its components too
    for (let at = from + 10, more = true; more;) {
      const flags = glyf.readUInt16BE(at);
      queue.push(glyf.readUInt16BE(at + 2));
      at += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
      more = (flags & 0x20) !== 0;
    }
  }
  const newLoca = Buffer.alloc((numGlyphs + 1) * 4);
  const parts: Buffer[] = [];
  let size = 0;
  for (let g = 0; g < numGlyphs; g++) {
    newLoca.writeUInt32BE(size, g * 4);
    if (!keep.has(g)) continue;
    const data = glyf.subarray(offset(g), offset(g + 1));
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    parts.push(padded);
    size += padded.length;
  }
  newLoca.writeUInt32BE(size, numGlyphs * 4);
  const newHead = Buffer.from(head);
  newHead.writeInt16BE(1, 50);
  const dropped = new Set(['post', 'BDF ', 'FFTM', 'EBDT', 'EBLC', 'EBSC', 'DSIG']);
  const out = tables.filter((t) => !dropped.has(t.tag)).map((t) => (t.tag === 'glyf' ? { tag: t.tag, data: Buffer.concat(parts) } : t.tag === 'loca' ? { tag: t.tag, data: newLoca } : t.tag === 'head' ? { tag: t.tag, data: newHead } : t));
  return writeFont(font.readUInt32BE(0), out);
}
