import type { MediaType } from '../shared/media-types.js';

/**
 * What the bytes say a file is, and an image's dimensions, read from its header only — nothing
 * is decoded, so a small file claiming a 60000×60000 canvas costs nothing to refuse.
 */
export interface Sniffed {
  type: MediaType;
  width?: number;
  height?: number;
}

export type SniffResult = { ok: true; sniffed: Sniffed } | { ok: false; reason: 'unsupported_type' | 'unreadable_image' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffMedia(buf: Buffer): SniffResult {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return png(buf);
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return jpeg(buf);
  if (buf.length >= 6 && ['GIF87a', 'GIF89a'].includes(buf.subarray(0, 6).toString('latin1'))) return gif(buf);
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return webp(buf);
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return { ok: true, sniffed: { type: 'application/pdf' } };
  return { ok: false, reason: 'unsupported_type' };
}

const image = (type: MediaType, width: number, height: number): SniffResult =>
  width > 0 && height > 0 ? { ok: true, sniffed: { type, width, height } } : { ok: false, reason: 'unreadable_image' };
const unreadable: SniffResult = { ok: false, reason: 'unreadable_image' };

function png(buf: Buffer): SniffResult {
  // the first chunk must be IHDR: width and height as big-endian 32-bit
  if (buf.length < 24 || buf.subarray(12, 16).toString('latin1') !== 'IHDR') return unreadable;
  return image('image/png', buf.readUInt32BE(16), buf.readUInt32BE(20));
}

function gif(buf: Buffer): SniffResult {
  if (buf.length < 10) return unreadable;
  return image('image/gif', buf.readUInt16LE(6), buf.readUInt16LE(8));
}

function webp(buf: Buffer): SniffResult {
  if (buf.length < 30) return unreadable;
  const chunk = buf.subarray(12, 16).toString('latin1');
  if (chunk === 'VP8 ') {
    if (buf[23] !== 0x9d || buf[24] !== 0x01 || buf[25] !== 0x2a) return unreadable;
    return image('image/webp', buf.readUInt16LE(26) & 0x3fff, buf.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (buf[20] !== 0x2f) return unreadable;
    const bits = buf.readUInt32LE(21);
    return image('image/webp', (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return image('image/webp', buf.readUIntLE(24, 3) + 1, buf.readUIntLE(27, 3) + 1);
  return unreadable;
}

// Start-of-frame markers (baseline, progressive, lossless, arithmetic): they carry the size
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(buf: Buffer): SniffResult {
  let i = 2;
  while (i + 3 < buf.length) {
    if (buf[i] !== 0xff) return unreadable;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return unreadable; // image data before any frame header
    const length = buf.readUInt16BE(i + 2);
    if (length < 2) return unreadable;
    if (SOF.has(marker)) {
      if (i + 9 > buf.length) return unreadable;
      return image('image/jpeg', buf.readUInt16BE(i + 7), buf.readUInt16BE(i + 5));
    }
    i += 2 + length;
  }
  return unreadable;
}
