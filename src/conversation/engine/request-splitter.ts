import { normaliseText } from '../text/text-normaliser.js';

/**
 * One message, two requests: "查一下订单SD2501019001，另外怎么开发票", "where is my order? also, how
 * do I change my address". Splits at an explicit connector (另外, 还有, 顺便问一下, also, by the
 * way, …) or between two questions. The caller decides whether the second part really is a
 * request of its own (the classifier must be sure of it); this only finds the seam.
 */
const CONNECTOR = /(?:^|[\s,，.。;；!！?？:：、]+)(?:另外(?:再)?(?:问(?:一下|下)?)?|还有(?:就是|一个问题|个问题)?|顺便(?:问(?:一下|下)?)?|再问(?:一下|下|个问题)?|以及|此外|还想问(?:一下|下)?|对了)[\s,，:：]*/;
const CONNECTOR_EN = /(?:[,.;!?]\s*|\s+)(?:and also|also|another (?:question|thing)|one more thing|plus|btw|by the way|oh and)[,:]?\s+/i;
const QUESTION_SEAM = /[?？]\s*/;

export interface SplitRequest { first: string; second: string; seam: 'connector' | 'question' }

const meaningful = (s: string) => normaliseText(s).replace(/[^\p{L}\p{N}]/gu, '');

export function splitRequests(text: string): SplitRequest | undefined {
  if (text.length > 400) return undefined;
  for (const [re, seam] of [[CONNECTOR, 'connector'], [CONNECTOR_EN, 'connector'], [QUESTION_SEAM, 'question']] as const) {
    const m = re.exec(text);
    if (!m || m.index === 0) continue;
    const first = text.slice(0, m.index).trim();
    const second = text.slice(m.index + m[0].length).trim();
    if (meaningful(first).length >= 3 && meaningful(second).length >= 3) return { first, second, seam };
  }
  return undefined;
}
