import { describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from './message-types.js';
import { renderTurn } from './render-for-channel.js';

const MAIL: ChannelCapabilities = { choices: false, cards: false, attachments: true, maxTextLength: 60, mergeReplies: true };

describe('renderTurn', () => {
  it('joins a turn\'s text parts into one message for a channel that wants one per turn', () => {
    const out = renderTurn([{ type: 'text', text: 'Your order has shipped.' }, { type: 'choices', text: 'Anything else?', choices: [{ label: 'No', payload: 'no' }] }], MAIL);
    expect(out).toEqual([{ type: 'text', text: 'Your order has shipped.\n\nAnything else?\n1. No' }]);
  });

  it('starts a new message where the joined text would pass the channel\'s length, and keeps images apart', () => {
    const out = renderTurn([{ type: 'text', text: 'a'.repeat(40) }, { type: 'text', text: 'b'.repeat(30) }, { type: 'image', url: '/media/x' }, { type: 'text', text: 'c' }], MAIL);
    expect(out.map((m) => m.type)).toEqual(['text', 'text', 'image', 'text']);
  });

  it('leaves other channels one message per part', () => {
    expect(renderTurn([{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], { ...MAIL, mergeReplies: false })).toHaveLength(2);
  });

  it('on a channel with choices, makes a text before the choices their head (one send) and keeps the handoff marker', () => {
    const KF: ChannelCapabilities = { choices: true, cards: false, attachments: true, maxTextLength: 200, mergeReplies: true };
    const out = renderTurn([{ type: 'text', text: 'Sorry about that.' }, { type: 'choices', text: 'A person will help.', choices: [{ label: 'Leave', payload: 'leave' }], handoff: true }], KF);
    expect(out).toEqual([{ type: 'choices', text: 'Sorry about that.\n\nA person will help.', choices: [{ label: 'Leave', payload: 'leave' }], handoff: true }]);
    const numbered = renderTurn([{ type: 'text', text: 'Hi.' }, { type: 'choices', text: 'Wait.', choices: [{ label: 'Leave', payload: 'leave' }], handoff: true }], MAIL);
    expect(numbered).toEqual([{ type: 'text', text: 'Hi.\n\nWait.\n1. Leave', handoff: true }]);
  });
});
