import { afterEach, describe, expect, it } from 'vitest';
import type { StaffNoteInput } from '../../src/shared/message-types.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';

/**
 * The seam a channel tells staff through (`InboundSink.noteForStaff`), on the real engine, CRM,
 * staff outbox and desk live inbox: an internal note on the thread's conversation, never a
 * customer message, idempotent on its key, live only while a person has or awaits it.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const held = (threadId: string, key = 'held:77'): StaffNoteInput => ({
  channel: 'web', threadId, key, kind: 'reply_held', text: 'A reply could not be sent: the window is closed. It goes out when they write again.',
});

describe('a channel telling staff about a conversation', () => {
  it('stores one internal note by the channel on a bot conversation, shows it in the /desk transcript, and sends nothing to the customer', async () => {
    h = await createHarness({ seed: false });
    const c = h.customer();
    await c.send('你好');
    const conversation = await h.crm.conversations.byThread('web', c.threadId);
    const messagesBefore = await h.database.db.message.count({ where: { conversationId: conversation!.id } });
    const said = c.transcript().length;

    const first = await h.engine.noteForStaff(held(c.threadId));
    const again = await h.engine.noteForStaff(held(c.threadId));
    expect(first).toMatchObject({ stored: true, duplicate: false, live: false });
    expect(again).toMatchObject({ stored: true, duplicate: true, noteId: (first as { noteId: number }).noteId });

    const notes = await h.database.db.conversationNote.findMany({ where: { conversationId: conversation!.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ staffId: null, author: 'system:web', dedupeKey: 'web:held:77' });
    const detail = await h.crm.desk.detail(conversation!.id);
    expect(detail?.notes).toEqual([expect.objectContaining({ staff: null, system: 'system:web', text: expect.stringMatching(/window is closed/) })]);
    // not a message of the conversation, nothing queued for the customer, no outbox row (a bot has it)
    expect(await h.database.db.message.count({ where: { conversationId: conversation!.id } })).toBe(messagesBefore);
    await h.queue.drain(10_000);
    expect(c.transcript()).toHaveLength(said);
    expect(await h.notifications('note')).toEqual([]);
  });

  it('tells the desk live when the conversation waits for a person, once for a retried notice', async () => {
    h = await createHarness({ seed: false });
    const c = h.customer();
    await c.send('转人工');
    const conversation = await h.crm.conversations.byThread('web', c.threadId);
    expect(conversation?.mode).toBe('waiting');

    const [a, b] = await Promise.all([h.engine.noteForStaff(held(c.threadId, 'held:9')), h.engine.noteForStaff(held(c.threadId, 'held:9'))]);
    expect([a, b].filter((r) => r.stored && !r.duplicate)).toHaveLength(1);
    expect([a, b].find((r) => r.stored && !r.duplicate)).toMatchObject({ live: true });
    await h.queue.drain(10_000);
    const live = h.deskEvents.filter((e) => e.kind === 'note' && e.conversationId === conversation!.id);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ actorName: 'system:web', preview: expect.stringMatching(/window is closed/) });
    expect(await h.database.db.conversationNote.count({ where: { conversationId: conversation!.id } })).toBe(1);
  });

  it('answers "no conversation" for a thread that has none, and stores nothing', async () => {
    h = await createHarness({ seed: false });
    expect(await h.engine.noteForStaff(held('no-such-thread'))).toEqual({ stored: false, reason: 'no_conversation' });
    expect(await h.database.db.conversationNote.count()).toBe(0);
  });
});
