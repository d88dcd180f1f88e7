import type { Choice } from '../../shared/message-types.js';
import { intentLabel } from './intent-labels.js';
import { translateStatusText } from './order-formatting.js';
import { say, type Lang, type TextKey } from './reply-texts.js';

const BY_PAYLOAD: Record<string, TextKey> = {
  yes: 'yes', no: 'no', skip: 'skip', handoff: 'menuHuman', 'owner:code': 'sendCode', 'owner:continue': 'continueUnverified',
  'order:*other': 'otherOrder', 'item:*': 'allItems', 'reason:quality': 'reasonQuality', 'reason:wrong_item': 'reasonWrongItem',
  'reason:size': 'reasonSize', 'reason:changed_mind': 'reasonChangedMind', 'reason:other': 'reasonOther', leave_queue: 'leaveQueueButton',
  'flow:link': 'linkOffer',
};

/**
 * A button's label in the other language, from what the button does. Labels that name a thing
 * (a product, an FAQ article) stay as they are; an order's status is translated.
 */
export function localiseChoice(c: Choice, lang: Lang): Choice {
  const key = BY_PAYLOAD[c.payload];
  if (key) return { ...c, label: say(lang, key) };
  if (c.payload.startsWith('intent:')) {
    const intent = c.payload.slice(7);
    const label = intentLabel(intent, lang) ?? (intent === 'order_status' ? say(lang, 'menuOrder') : undefined);
    return label ? { ...c, label } : c;
  }
  if (c.payload.startsWith('flow:return:')) return { ...c, label: say(lang, 'startReturn') };
  if (c.payload.startsWith('flow:cancel:')) return { ...c, label: lang === 'zh' ? '取消订单' : 'Cancel the order' };
  if (c.payload.startsWith('order:')) {
    const [number, status] = c.label.split(' · ');
    return status ? { ...c, label: `${number} · ${translateStatusText(status, lang)}` } : c;
  }
  return c;
}
