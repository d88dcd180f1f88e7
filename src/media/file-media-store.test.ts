import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jpegHeader, pngClaiming, pngImage } from '../../test/factories/image-builders.js';
import { FileMediaStore } from './file-media-store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function store(limits = { maxBytes: 1024 * 1024, maxPixels: 4_000_000, maxSidePx: 4000 }): { media: FileMediaStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'media-'));
  dirs.push(dir);
  return { media: new FileMediaStore(join(dir, 'media'), limits, 'media-test-secret-0123456789'), dir };
}
const owner = { channel: 'web' as const, threadId: 'v_thread', uploadedBy: 'customer' as const };

describe('FileMediaStore', () => {
  it('keeps an image with its owner, type and size, and gives it back', async () => {
    const { media } = store();
    const bytes = pngImage(30, 20);
    const put = await media.put({ bytes, declaredType: 'image/png', owner, name: '../../etc/passwd' });
    expect(put).toMatchObject({ ok: true, media: { mimeType: 'image/png', width: 30, height: 20, sizeBytes: bytes.length, owner, name: '.._.._etc_passwd' } });
    if (!put.ok) return;
    expect((await media.open(put.media.id))?.bytes.equals(bytes)).toBe(true);
    expect(await media.get('not-an-id')).toBeUndefined();
  });

  it('refuses, as values with reasons: too large, wrong type, lying type, huge canvas, empty', async () => {
    const { media } = store({ maxBytes: 2048, maxPixels: 1_000_000, maxSidePx: 2000 });
    expect(await media.put({ bytes: Buffer.alloc(4096, 1), owner })).toMatchObject({ ok: false, reason: 'too_large' });
    expect(await media.put({ bytes: Buffer.from('hello'), owner })).toMatchObject({ ok: false, reason: 'unsupported_type' });
    expect(await media.put({ bytes: pngImage(4, 4), declaredType: 'image/jpeg', owner })).toMatchObject({ ok: false, reason: 'type_mismatch' });
    expect(await media.put({ bytes: pngClaiming(60000, 60000), owner })).toMatchObject({ ok: false, reason: 'dimensions_too_large' });
    expect(await media.put({ bytes: jpegHeader(3000, 100), owner })).toMatchObject({ ok: false, reason: 'dimensions_too_large' });
    expect(await media.put({ bytes: Buffer.alloc(0), owner })).toMatchObject({ ok: false, reason: 'empty' });
    expect(await media.put({ bytes: Buffer.from('%PDF-1.4\n'), owner, allow: ['image/png'] })).toMatchObject({ ok: false, reason: 'unsupported_type' });
  });

  it('grants a URL token only for its object and audience, until it expires', async () => {
    const { media } = store();
    const put = await media.put({ bytes: pngImage(2, 2), owner });
    if (!put.ok) throw new Error('put');
    const token = (url: string) => new URL(url, 'http://x').searchParams.get('t') ?? undefined;
    expect(media.tokenGrants(put.media, token(media.urlFor(put.media.id, { kind: 'customer', channel: 'web', threadId: 'v_thread' })))).toBe(true);
    expect(media.tokenGrants(put.media, token(media.urlFor(put.media.id, { kind: 'staff' })))).toBe(true);
    expect(media.tokenGrants(put.media, token(media.urlFor(put.media.id, { kind: 'customer', channel: 'web', threadId: 'v_other' })))).toBe(false);
    expect(media.tokenGrants(put.media, token(media.urlFor(put.media.id, { kind: 'customer', channel: 'wechat', threadId: 'v_thread' })))).toBe(false);
    const other = await media.put({ bytes: pngImage(2, 2), owner });
    if (!other.ok) throw new Error('put');
    expect(media.tokenGrants(put.media, token(media.urlFor(other.media.id, { kind: 'staff' })))).toBe(false);
    expect(media.tokenGrants(put.media, undefined)).toBe(false);
  });

  it("moves the web chat's old upload folder into the store under the same ids", async () => {
    const { media, dir } = store();
    const uploads = join(dir, 'uploads');
    mkdirSync(uploads);
    const id = '0123456789abcdef0123456789abcdef';
    writeFileSync(join(uploads, id), pngImage(3, 3));
    writeFileSync(join(uploads, `${id}.json`), JSON.stringify({ owner: 'v_legacy-visitor', mimeType: 'image/png', sizeBytes: 77, createdAt: '2025-01-01T00:00:00.000Z' }));
    expect(await media.importLegacyUploads(uploads)).toBe(1);
    expect(await media.get(id)).toMatchObject({ id, owner: { channel: 'web', threadId: 'v_legacy-visitor', uploadedBy: 'customer' } });
    expect(readdirSync(dir)).toContain('uploads.imported');
    expect(await media.importLegacyUploads(uploads)).toBe(0);
  });
});
