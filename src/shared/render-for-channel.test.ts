import { describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from './message-types.js';
import { choiceFromNumber, renderTurn } from './render-for-channel.js';

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

describe('choiceFromNumber', () => {
  const choices = [{ payload: 'a' }, { payload: 'b' }, { payload: 'c' }];
  it('reads the numbers people type for a numbered list: digits, full-width digits, 第N个 and 选N', () => {
    for (const [text, want] of [['1', 'a'], ['2.', 'b'], ['１', 'a'], ['３', 'c'], ['第一个', 'a'], ['第二个', 'b'], ['第 3 个', 'c'], ['选2', 'b'], ['第二项', 'b'], ['二', 'b']] as const) {
      expect(choiceFromNumber(text, choices), text).toBe(want);
    }
  });
  it('does not read a number out of a sentence, or past the list', () => {
    for (const text of ['我要2件', '4', '第五个', 'SD2024000001', '10']) expect(choiceFromNumber(text, choices), text).toBeUndefined();
  });
});
