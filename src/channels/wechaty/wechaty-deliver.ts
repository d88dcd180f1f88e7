import { z } from 'zod';
import type { Wechaty } from 'wechaty';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import { MEDIA_ID, type MediaStore } from '../../shared/media-types.js';
import type { OutboundMessage } from '../../shared/message-types.js';
import { renderForChannel } from '../../shared/render-for-channel.js';
import { WECHATY_CAPABILITIES } from './wechaty-adapter.js';
import type { OutboxItem } from './wechaty-outbox.js';

const Thread = z.object({ contactId: z.string(), roomId: z.string().optional() });

export interface DeliverDeps {
  bot: () => Wechaty | undefined;
  state: ChannelStateStore;
  media: MediaStore;
}

/** A staff member's words carry their name, as on the other channels ("小王：…"). */
function withAuthor(m: OutboundMessage, text: string): string {
  return m.author?.kind === 'staff' ? `${m.author.name}：${text}` : text;
}

/**
 * Sends one outbox item through the logged-in account: to the contact, or in the room with the
 * customer @mentioned. Staff images come from the media store. Throws when it cannot (logged out,
 * the contact gone): the sender retries and, in the end, sets the reply aside.
 */
export async function deliverItem(item: OutboxItem, d: DeliverDeps): Promise<void> {
  const bot = d.bot();
  if (!bot?.isLoggedIn) throw new Error('the account is not logged in');
  const raw = await d.state.get(`thread:${item.threadId}`);
  const thread = raw ? Thread.safeParse(JSON.parse(raw)) : undefined;
  if (!thread?.success) throw new Error('the thread has no reply address');
  const contact = await bot.Contact.find({ id: thread.data.contactId });
  if (!contact) throw new Error('the contact is not known to this login');
  const room = thread.data.roomId ? await bot.Room.find({ id: thread.data.roomId }) : undefined;
  if (thread.data.roomId && !room) throw new Error('the room is not known to this login');
  const say = async (something: Parameters<typeof contact.say>[0]) => {
    if (room) await (typeof something === 'string' ? room.say(something, contact) : room.say(something));
    else await contact.say(something);
  };
  for (const m of renderForChannel(item.message, WECHATY_CAPABILITIES)) {
    if (m.type === 'image') {
      const id = /\/media\/([a-f0-9]{32})/.exec(m.url)?.[1];
      const opened = id && MEDIA_ID.test(id) ? await d.media.open(id) : undefined;
      if (opened) {
        const { FileBox } = await import('file-box');
        await say(FileBox.fromBuffer(opened.bytes, opened.media.name ?? `image.${opened.media.mimeType.split('/')[1]}`));
      }
      const text = [m.caption, opened ? undefined : m.url].filter(Boolean).join('\n');
      if (text) await say(withAuthor(m, text));
    } else if (m.type === 'text') {
      await say(withAuthor(m, m.text));
    }
  }
}
