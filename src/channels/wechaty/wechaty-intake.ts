import type { Logger } from 'pino';
import type { Contact, Message } from 'wechaty';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import { MEDIA_TYPES, type MediaStore } from '../../shared/media-types.js';
import type { InboundSink } from '../../shared/message-types.js';
import { ContactPayload, contactKey, decodeContent, roomMessageWanted, threadIdOf, type WechatySnapshot } from './wechaty-decode.js';

/** Where replies on a thread go: the latest contact (and room) ids seen on it. */
export interface WechatyThread {
  contactId: string;
  roomId?: string;
}

export interface IntakeDeps {
  sink: InboundSink;
  state: ChannelStateStore;
  media: MediaStore;
  log: Logger;
  clock: () => Date;
  rooms: readonly string[];
  /** The message type's name (`types.Message[n]`), from the loaded wechaty module. */
  typeName: (n: number) => string;
  count: (counter: string) => void;
}

/** Tries before a message is given up (the database away for longer than about 15 s). */
const ACCEPT_TRIES = 6;

export function contactPayloadOf(c: Contact): ContactPayload {
  const raw = (c as unknown as { payload?: unknown }).payload;
  const parsed = ContactPayload.safeParse({ ...(typeof raw === 'object' && raw ? raw : {}), id: c.id });
  return parsed.success ? parsed.data : { id: c.id };
}

/** The bot account's own identity (the same rule as its contacts: its WeChat id where given). */
export function accountKeyOf(self: Contact): string {
  return contactKey(contactPayloadOf(self)).key;
}

/** Runs one puppet call; a failure (a file the puppet cannot download) is noted, never fatal. */
async function attempt<T>(what: string, fn: () => Promise<T>, deps: IntakeDeps): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    deps.count('partFailed');
    deps.log.warn({ part: what, err: (err as Error).message }, 'the puppet could not give part of a message');
    return undefined;
  }
}

async function snapshotOf(msg: Message, type: string, deps: IntakeDeps, owner: { threadId: string }): Promise<WechatySnapshot> {
  const s: WechatySnapshot = { type };
  if (type === 'Text') s.text = msg.room() ? await msg.mentionText() : msg.text();
  if (type === 'Url') {
    const link = await attempt('link', () => msg.toUrlLink(), deps);
    if (link) s.url = { url: link.url(), title: link.title(), description: link.description() };
  }
  if (type === 'MiniProgram') {
    const mp = await attempt('mini program', () => msg.toMiniProgram(), deps);
    if (mp) s.miniProgram = { title: mp.title(), description: mp.description(), pagePath: mp.pagePath() };
  }
  if (type === 'Location') {
    const l = await attempt('location', () => msg.toLocation(), deps);
    if (l) s.location = { latitude: l.latitude(), longitude: l.longitude(), name: l.name(), address: l.address() };
  }
  if (type === 'Image' || type === 'Attachment') {
    const file = await attempt('file', async () => {
      const box = await msg.toFileBox();
      return { box, bytes: await box.toBuffer() };
    }, deps);
    if (!file) {
      s.mediaRefused = 'the puppet could not download it';
      return s;
    }
    const { box, bytes } = file;
    const put = await deps.media.put({ bytes, declaredType: box.mediaType, name: box.name, owner: { channel: 'wechaty', threadId: owner.threadId, uploadedBy: 'customer' }, allow: MEDIA_TYPES });
    if (put.ok) s.media = { mediaId: put.media.id, url: deps.media.pathOf(put.media.id), mimeType: put.media.mimeType, sizeBytes: put.media.sizeBytes, name: box.name };
    else s.mediaRefused = put.reason;
  }
  return s;
}

/**
 * One wechaty message into the engine. Our own messages, system notices and room chatter that is
 * not for us are dropped here; everything else is stored through the sink (platform id = the
 * message id, so a message the puppet delivers twice is stored once) before this resolves. The
 * thread's reply address is remembered first, so a reply never finds it missing.
 */
export async function intakeMessage(msg: Message, account: string, deps: IntakeDeps): Promise<'stored' | 'duplicate' | 'ignored'> {
  if (msg.self()) return 'ignored';
  const type = deps.typeName(msg.type());
  const room = msg.room();
  if (room) {
    const wanted = roomMessageWanted({ id: room.id, topic: await room.topic().catch(() => undefined) }, await msg.mentionSelf().catch(() => false), deps.rooms);
    if (!wanted) {
      deps.count('roomIgnored');
      return 'ignored';
    }
  }
  const talker = msg.talker();
  const payload = contactPayloadOf(talker);
  const who = contactKey(payload);
  if (!who.stable) deps.count('unstableIds');
  const threadId = threadIdOf(account, who.key, room?.id);
  const content = decodeContent(await snapshotOf(msg, type, deps, { threadId }));
  if (!content) return 'ignored';
  const thread: WechatyThread = { contactId: talker.id, ...(room ? { roomId: room.id } : {}) };
  await deps.state.set(`thread:${threadId}`, JSON.stringify(thread));
  const message = {
    channel: 'wechaty' as const,
    platformMessageId: msg.id,
    threadId,
    sender: {
      id: who.key,
      scope: account,
      // a WeChat name or alias is the sender's to choose (or the account's): asserted, never a key
      displayName: payload.alias?.trim() || payload.name?.trim() || undefined,
    },
    receivedAt: deps.clock(),
    content,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await deps.sink.accept(message);
      return r.duplicate ? 'duplicate' : 'stored';
    } catch (err) {
      // wechaty will not deliver it again: wait out a short database outage rather than lose it
      if (attempt >= ACCEPT_TRIES) throw err;
      deps.log.warn({ attempt, threadId, err: (err as Error).message }, 'could not store a wechaty message yet; retrying');
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}
