import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request, Response, NextFunction } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { StoredUpload } from './web-chat-decode.js';

export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type UploadType = (typeof UPLOAD_TYPES)[number];

const UPLOAD_ID = /^[a-f0-9]{32}$/;
const UploadMeta = z.object({ owner: z.string(), mimeType: z.enum(UPLOAD_TYPES), sizeBytes: z.number(), createdAt: z.string() });

/** What the bytes say the file is: a declared Content-Type is only believed when they agree. */
export function sniffImageType(buf: Buffer): UploadType | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 6 && ['GIF87a', 'GIF89a'].includes(buf.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/** Reads the raw body, giving up (with undefined) as soon as it passes the limit. */
function readLimited(req: Request, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Images customers send in the chat: stored under uploadDir as `<id>` plus `<id>.json` (owner, type). */
export class UploadStore {
  constructor(private readonly dir: string, readonly maxBytes: number, private readonly publicBaseUrl = '') {}

  urlOf(id: string): string {
    return `${this.publicBaseUrl.replace(/\/$/, '')}/api/webchat/uploads/${id}`;
  }

  /** The upload if it exists and belongs to this visitor. */
  async find(id: string, visitorId: string): Promise<(StoredUpload & { path: string }) | undefined> {
    if (!UPLOAD_ID.test(id)) return undefined;
    let meta: z.infer<typeof UploadMeta>;
    try {
      meta = UploadMeta.parse(JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')));
    } catch {
      return undefined;
    }
    if (meta.owner !== visitorId) return undefined;
    return { url: this.urlOf(id), mimeType: meta.mimeType, sizeBytes: meta.sizeBytes, path: join(this.dir, id) };
  }

  /** POST handler: raw image body → 201 { uploadId, url }; 413 over the limit; 415 unless the bytes are an image. */
  async handleUpload(req: Request, res: Response, next: NextFunction, visitorId: string): Promise<void> {
    const limit = this.maxBytes >= 1024 * 1024 ? `${+(this.maxBytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(this.maxBytes / 1024)} KB`;
    const tooBig = new AppError('PAYLOAD_TOO_LARGE', `upload over ${this.maxBytes} bytes`, { userMessage: `The image is too large (at most ${limit})` });
    const declared = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!(UPLOAD_TYPES as readonly string[]).includes(declared)) {
      req.resume();
      return next(new AppError('UNSUPPORTED_MEDIA_TYPE', `upload type ${declared || 'missing'}`, { userMessage: 'Only JPEG, PNG, GIF or WebP images can be sent' }));
    }
    if (Number(req.headers['content-length'] ?? 0) > this.maxBytes) {
      // answer at once and close, rather than reading a body we will refuse
      res.setHeader('Connection', 'close');
      return next(tooBig);
    }
    const body = await readLimited(req, this.maxBytes);
    if (!body) return next(tooBig);
    const sniffed = sniffImageType(body);
    if (!sniffed || sniffed !== declared) {
      return next(new AppError('UNSUPPORTED_MEDIA_TYPE', `upload bytes are ${sniffed ?? 'not an image'}, declared ${declared}`, { userMessage: 'The file is not a JPEG, PNG, GIF or WebP image' }));
    }
    const id = randomBytes(16).toString('hex');
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, id), body);
    await writeFile(join(this.dir, `${id}.json`), JSON.stringify({ owner: visitorId, mimeType: sniffed, sizeBytes: body.length, createdAt: new Date().toISOString() }));
    res.status(201).json({ uploadId: id, url: this.urlOf(id) });
  }

  /** Stores an image for a visitor that someone else (staff) sends them; the same checks as a customer upload. */
  async storeFor(owner: string, body: Buffer, declared: string): Promise<{ ok: true; url: string } | { ok: false; message: string }> {
    if (body.length > this.maxBytes) return { ok: false, message: `The image is too large (at most ${Math.round(this.maxBytes / 1024)} KB)` };
    const sniffed = sniffImageType(body);
    if (!sniffed || sniffed !== declared) return { ok: false, message: 'The file is not a JPEG, PNG, GIF or WebP image' };
    const id = randomBytes(16).toString('hex');
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, id), body);
    await writeFile(join(this.dir, `${id}.json`), JSON.stringify({ owner, mimeType: sniffed, sizeBytes: body.length, createdAt: new Date().toISOString() }));
    return { ok: true, url: this.urlOf(id) };
  }

  /** Any upload by its URL, whoever owns it: for staff only (the desk authorises the caller). */
  async openForStaff(url: string): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
    const id = /\/api\/webchat\/uploads\/([a-f0-9]{32})(?:[?#].*)?$/.exec(url)?.[1];
    if (!id) return undefined;
    try {
      const meta = UploadMeta.parse(JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')));
      return { bytes: await readFile(join(this.dir, id)), mimeType: meta.mimeType };
    } catch {
      return undefined;
    }
  }

  /** GET handler: the image to its own visitor only (anyone else gets 404, not a hint that it exists). */
  async handleDownload(req: Request, res: Response, next: NextFunction, visitorId: string | undefined): Promise<void> {
    const found = visitorId ? await this.find(String(req.params.id), visitorId) : undefined;
    if (!found) return next(new AppError('NOT_FOUND', 'no such upload', { userMessage: 'No such image' }));
    res.setHeader('Content-Type', found.mimeType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.send(await readFile(found.path));
  }
}
