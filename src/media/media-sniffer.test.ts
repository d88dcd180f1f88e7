import { describe, expect, it } from 'vitest';
import { gifImage, jpegHeader, pngClaiming, pngImage, webpClaiming } from '../../test/factories/image-builders.js';
import { sniffMedia } from './media-sniffer.js';

describe('sniffMedia', () => {
  it('reads type and size from the headers of PNG, JPEG, GIF and WebP', () => {
    expect(sniffMedia(pngImage(40, 30))).toEqual({ ok: true, sniffed: { type: 'image/png', width: 40, height: 30 } });
    expect(sniffMedia(jpegHeader(640, 480))).toEqual({ ok: true, sniffed: { type: 'image/jpeg', width: 640, height: 480 } });
    expect(sniffMedia(gifImage(16, 9))).toEqual({ ok: true, sniffed: { type: 'image/gif', width: 16, height: 9 } });
    expect(sniffMedia(webpClaiming(1920, 1080))).toEqual({ ok: true, sniffed: { type: 'image/webp', width: 1920, height: 1080 } });
    expect(sniffMedia(Buffer.from('%PDF-1.7\n'))).toEqual({ ok: true, sniffed: { type: 'application/pdf' } });
  });

  it('reads the size a file claims without decoding it', () => {
    expect(sniffMedia(pngClaiming(60000, 60000))).toMatchObject({ ok: true, sniffed: { width: 60000, height: 60000 } });
  });

  it('calls text renamed .png unsupported and a truncated image unreadable', () => {
    expect(sniffMedia(Buffer.from('just some notes.txt\n'))).toEqual({ ok: false, reason: 'unsupported_type' });
    expect(sniffMedia(pngImage(4, 4).subarray(0, 12))).toEqual({ ok: false, reason: 'unreadable_image' });
    expect(sniffMedia(jpegHeader(10, 10).subarray(0, 6))).toEqual({ ok: false, reason: 'unreadable_image' });
  });
});
