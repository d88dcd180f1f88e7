import type { IncomingMessage } from 'node:http';
import type { ChannelName } from './message-types.js';

/**
 * The one media store of shopdesk (design contract 3): images and files customers send on any
 * channel, photos staff look at, images staff send. Channels see only this interface; the
 * implementation lives in src/media/ and is built once in src/main.ts.
 *
 * Every object has an owner (channel + thread + who put it). Bytes are checked on `put` (size,
 * magic bytes against the declared type, image dimensions) and read back only through
 * `/media/:id` with a short-lived URL token made for one audience — the thread's customer, or
 * staff — or by a staff member the desk authorises (`authorizeStaff`).
 */
export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const IMAGE_TYPES: readonly MediaType[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** Media ids: 32 lower-case hex characters. */
export const MEDIA_ID = /^[a-f0-9]{32}$/;

export interface MediaOwner {
  channel: ChannelName;
  /** The conversation thread on that channel; its customer may read the object. */
  threadId: string;
  uploadedBy: 'customer' | 'staff' | 'bot';
  /** The staff member who put it, when uploadedBy is 'staff'. */
  staffId?: number;
}

export interface MediaRecord {
  id: string;
  mimeType: MediaType;
  sizeBytes: number;
  width?: number;
  height?: number;
  /** A file name given by the sender (shown to staff; never used as a path). */
  name?: string;
  owner: MediaOwner;
  createdAt: string;
}

export interface MediaLimits {
  maxBytes: number;
  /** Width × height above this is refused (a small file may claim a huge canvas). */
  maxPixels: number;
  /** Either side above this is refused. */
  maxSidePx: number;
}

export type MediaRefusal = 'empty' | 'too_large' | 'unsupported_type' | 'type_mismatch' | 'unreadable_image' | 'dimensions_too_large';

export type MediaPutResult =
  | { ok: true; media: MediaRecord }
  | { ok: false; reason: MediaRefusal; message: string };

/** Who a media URL is made for. */
export type MediaAudience = { kind: 'customer'; channel: ChannelName; threadId: string } | { kind: 'staff' };

export interface MediaStore {
  readonly limits: MediaLimits;
  /**
   * Checks and stores bytes. `declaredType` (a Content-Type, an attachment's MIME type) must agree
   * with the magic bytes; `allow` narrows the types accepted (the web chat takes images only).
   */
  put(input: { bytes: Buffer; declaredType?: string; owner: MediaOwner; name?: string; allow?: readonly MediaType[] }): Promise<MediaPutResult>;
  get(id: string): Promise<MediaRecord | undefined>;
  /** The object's record and bytes, for a reader already authorised. */
  open(id: string): Promise<{ media: MediaRecord; bytes: Buffer } | undefined>;
  /** The stable, token-less address of an object (`/media/<id>`), stored with messages and tickets. */
  pathOf(id: string): string;
  /** A URL that lets `audience` read the object for `ttlMs` (default 15 minutes). */
  urlFor(id: string, audience: MediaAudience, opts?: { ttlMs?: number }): string;
}

/**
 * How the desk tells the media route that a request comes from a signed-in staff member (its
 * session cookie or bearer token). Returns the staff member, or undefined for anyone else.
 */
export type AuthorizeStaff = (req: IncomingMessage) => Promise<{ staffId: number } | undefined>;
