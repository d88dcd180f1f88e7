import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CHANNELS } from '../shared/message-types.js';
import { IMAGE_TYPES, MEDIA_ID, MEDIA_TYPES, type MediaAudience, type MediaLimits, type MediaOwner, type MediaPutResult, type MediaRecord, type MediaStore, type MediaType } from '../shared/media-types.js';
import { deriveKey, issuePurposeToken, verifyPurposeToken } from '../shared/purpose-token.js';
import { sniffMedia } from './media-sniffer.js';

const RecordSchema = z.object({
  id: z.string().regex(MEDIA_ID),
  mimeType: z.enum(MEDIA_TYPES),
  sizeBytes: z.number().int().nonnegative(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  name: z.string().max(255).optional(),
  owner: z.object({ channel: z.enum(CHANNELS), threadId: z.string(), uploadedBy: z.enum(['customer', 'staff', 'bot']), staffId: z.number().int().optional() }),
  createdAt: z.string(),
});

const URL_PURPOSE = 'media';
export const DEFAULT_MEDIA_URL_TTL_MS = 15 * 60_000;

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * The media store on a directory (DATA_DIR/media; shared storage when several web processes
 * run): `<id[0..2]>/<id>` holds the bytes, `<id>.json` the record, both written to a temporary
 * name and renamed, so a reader never sees half a file.
 */
export class FileMediaStore implements MediaStore {
  private readonly urlKey: string;

  constructor(private readonly dir: string, readonly limits: MediaLimits, secret: string, private readonly basePath = '') {
    this.urlKey = deriveKey(secret, 'media-url');
  }

  async put(input: { bytes: Buffer; declaredType?: string; owner: MediaOwner; name?: string; allow?: readonly MediaType[] }): Promise<MediaPutResult> {
    const { bytes } = input;
    if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'The file is empty' };
    if (bytes.length > this.limits.maxBytes) return { ok: false, reason: 'too_large', message: `The file is too large (at most ${mb(this.limits.maxBytes)})` };
    const allow = input.allow ?? MEDIA_TYPES;
    const names = allow.map((t) => (t === 'application/pdf' ? 'PDF' : t.slice(6).toUpperCase())).join(', ');
    const sniff = sniffMedia(bytes);
    if (!sniff.ok) {
      return sniff.reason === 'unreadable_image'
        ? { ok: false, reason: 'unreadable_image', message: 'The image is damaged or incomplete' }
        : { ok: false, reason: 'unsupported_type', message: `The file is not one of: ${names}` };
    }
    const s = sniff.sniffed;
    if (!allow.includes(s.type)) return { ok: false, reason: 'unsupported_type', message: `The file is not one of: ${names}` };
    const declared = input.declaredType?.split(';')[0].trim().toLowerCase();
    if (declared && declared !== 'application/octet-stream' && declared !== s.type) {
      return { ok: false, reason: 'type_mismatch', message: `The file is ${s.type.split('/')[1].toUpperCase()} but was sent as ${declared}` };
    }
    if (IMAGE_TYPES.includes(s.type) && s.width !== undefined && s.height !== undefined) {
      if (s.width > this.limits.maxSidePx || s.height > this.limits.maxSidePx || s.width * s.height > this.limits.maxPixels) {
        return { ok: false, reason: 'dimensions_too_large', message: `The image is too large (${s.width}×${s.height} pixels; at most ${this.limits.maxSidePx} pixels a side and ${Math.round(this.limits.maxPixels / 1e6)} megapixels)` };
      }
    }
    const id = randomBytes(16).toString('hex');
    const media: MediaRecord = {
      id, mimeType: s.type, sizeBytes: bytes.length, owner: { ...input.owner }, createdAt: new Date().toISOString(),
      ...(s.width ? { width: s.width, height: s.height } : {}),
      ...(input.name ? { name: input.name.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 255) } : {}),
    };
    const folder = join(this.dir, id.slice(0, 2));
    await mkdir(folder, { recursive: true });
    await this.writeAtomic(join(folder, id), bytes);
    await this.writeAtomic(join(folder, `${id}.json`), Buffer.from(JSON.stringify(media)));
    return { ok: true, media };
  }

  private async writeAtomic(path: string, data: Buffer): Promise<void> {
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, data, { mode: 0o600 });
    await rename(tmp, path);
  }

  async get(id: string): Promise<MediaRecord | undefined> {
    if (!MEDIA_ID.test(id)) return undefined;
    try {
      const parsed = RecordSchema.safeParse(JSON.parse(await readFile(join(this.dir, id.slice(0, 2), `${id}.json`), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async open(id: string): Promise<{ media: MediaRecord; bytes: Buffer } | undefined> {
    const media = await this.get(id);
    if (!media) return undefined;
    try {
      return { media, bytes: await readFile(join(this.dir, id.slice(0, 2), id)) };
    } catch {
      return undefined;
    }
  }

  pathOf(id: string): string {
    return `${this.basePath.replace(/\/$/, '')}/media/${id}`;
  }

  urlFor(id: string, audience: MediaAudience, opts: { ttlMs?: number } = {}): string {
    const claims = audience.kind === 'staff' ? { id, a: 'staff' } : { id, a: 'customer', ch: audience.channel, th: audience.threadId };
    return `${this.pathOf(id)}?t=${issuePurposeToken(this.urlKey, URL_PURPOSE, claims, opts.ttlMs ?? DEFAULT_MEDIA_URL_TTL_MS)}`;
  }

  /**
   * Moves images the web chat kept in its own folder (before this store) into the store under
   * their old ids, so the messages and tickets that name them still find them. The folder is
   * renamed `<dir>.imported` afterwards. Returns how many were moved.
   */
  async importLegacyUploads(uploadDir: string): Promise<number> {
    let names: string[];
    try {
      names = await readdir(uploadDir);
    } catch {
      return 0;
    }
    const Legacy = z.object({ owner: z.string(), mimeType: z.enum(MEDIA_TYPES), sizeBytes: z.number(), createdAt: z.string() });
    let moved = 0;
    for (const name of names) {
      const id = name.replace(/\.json$/, '');
      if (!name.endsWith('.json') || !MEDIA_ID.test(id) || (await this.get(id))) continue;
      const meta = Legacy.safeParse(JSON.parse(await readFile(join(uploadDir, name), 'utf8').catch(() => 'null')));
      if (!meta.success) continue;
      const folder = join(this.dir, id.slice(0, 2));
      await mkdir(folder, { recursive: true });
      await rename(join(uploadDir, id), join(folder, id)).catch(() => undefined);
      const media: MediaRecord = { id, mimeType: meta.data.mimeType, sizeBytes: meta.data.sizeBytes, owner: { channel: 'web', threadId: meta.data.owner, uploadedBy: 'customer' }, createdAt: meta.data.createdAt };
      await this.writeAtomic(join(folder, `${id}.json`), Buffer.from(JSON.stringify(media)));
      moved++;
    }
    await rename(uploadDir, `${uploadDir}.imported`).catch(() => undefined);
    return moved;
  }

  /**
   * May the holder of URL token `token` read `media`? Only a live token made for this object, for
   * staff or for the customer of the object's own thread.
   */
  tokenGrants(media: MediaRecord, token: string | undefined): boolean {
    const c = verifyPurposeToken(this.urlKey, URL_PURPOSE, token);
    if (!c || c.id !== media.id) return false;
    if (c.a === 'staff') return true;
    return c.a === 'customer' && c.ch === media.owner.channel && c.th === media.owner.threadId;
  }
}
