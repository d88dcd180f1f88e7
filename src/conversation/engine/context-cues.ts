import { normaliseText } from '../text/text-normaliser.js';
import type { Lang } from '../replies/reply-texts.js';

/**
 * Short messages that only make sense against the conversation so far: "等多久?" after an order
 * answer, "开好了吗" after an invoice question, "what about the other one?". Each cue is a small
 * whole-message lexicon (zh, en; traditional characters and full-width punctuation are
 * normalised away); the router decides what it refers to from the conversation's memory.
 */
export type FollowUpCue = 'eta' | 'other_order' | 'progress';

const TRAILING = /(?:[\s,.!?~～…]|[呀啊呢哦喔嘛吧啦]|[\p{Extended_Pictographic}\uFE0F])+$/u;
const LEADING = /^(?:(?:那|那么|请问|亲|你好|您好|所以|and|so|ok|okay|hi|hello|well)(?![a-z])[\s,，]*)+/;

const CUES: [FollowUpCue, RegExp][] = [
  ['other_order', /^(?:还有)?(?:另一个|另外一个|另一单|另外那个|另外那单|另外一单|另一个订单|另外一个订单|另外那个订单|其他订单|别的订单|另一笔)(?:呢|怎么样了?|到哪了|什么情况)?$|^(?:what about |how about |and )?(?:the other (?:one|order)|my other (?:one|order)|the other package)(?: now)?$/],
  ['eta', /^(?:还要|要|得|需要|大概|大约)?(?:等)?多久(?:才|能|可以)?(?:到|送到|收到|发货|到货|能到)?$|^(?:等多久|还没(?:有)?(?:到|收到|送到|发货|发)|怎么还没(?:到|发货|收到|送到)|咋还没(?:到|发货|收到)|(?:什么时候|啥时候|几时|多会儿?|哪天)(?:能|可以|才|会)?(?:到|送到|发货|收到|到货)|到哪(?:了|儿了|里了)?|现在到哪(?:了|儿了)?|物流(?:到哪了|怎么样了?)?|快递(?:到哪了|怎么样了?))$|^(?:how long(?: will (?:it|that|this) take| until it (?:arrives|comes)| to arrive| do i (?:have to )?wait| is the wait)?|when will (?:it|that|they|this) (?:arrive|come|get here|be (?:here|delivered)|ship)|(?:it )?(?:still )?(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|not) (?:arrived|come|shipped|been delivered)(?: yet)?|still not (?:here|arrived)|where is it(?: now)?|any (?:news|updates?)|what about it now|and now|still waiting)$/],
  ['progress', /^(?:开好了?(?:吗|没)?|开了(?:吗|没)|好了(?:吗|没)|办好了(?:吗|没)|处理(?:好)?了(?:吗|没)|弄好了(?:吗|没)|批了(?:吗|没)|审核(?:通过)?了(?:吗|没)|进度(?:怎么样|如何)?|怎么样了|有进展(?:了)?吗|(?:is it|is that|has it been|was it) (?:done|ready|sorted|processed|issued|approved|through)(?: yet)?|done yet|any progress|what'?s the status(?: now)?|status\??)$/],
];

/** Longest message read as a bare follow-up: anything longer says what it is about. */
const MAX_CUE_CHARS = 40;

export function followUpCue(text: string): FollowUpCue | undefined {
  const t = normaliseText(text);
  if (!t || t.length > MAX_CUE_CHARS) return undefined;
  const core = t.replace(TRAILING, '').replace(LEADING, '').replace(TRAILING, '');
  if (!core) return undefined;
  for (const [cue, re] of CUES) if (re.test(core)) return cue;
  return undefined;
}

/** "这个订单", "that order", "it": the message is about an order it does not name. */
// "这个能退吗" / "return this" right after an order was discussed: that order
const POINTS_AT_ORDER = /^(?:那)?这个(?=能|可以|可不可以|还能|怎么|要)|^那个(?=能|可以|可不可以|还能)|\b(?:return|cancel|exchange|refund) (?:this|that)\b|这个订单|那个订单|这单|那单|该订单|这笔订单|刚才(?:那个|的)(?:订单)?|上面(?:那个|的)订单|同一个订单|\bthis order\b|\bthat order\b|\bthe same order\b|\bit\b|\bthat one\b|\bthis one\b/;

export function pointsAtAnOrder(text: string): boolean {
  return POINTS_AT_ORDER.test(normaliseText(text));
}

const TO_ZH = /^(?:请|麻烦|可以|能不能|能|你能)?(?:(?:用|说|讲|切换到|切换成|换成|改用|回复|回)(?:中文|汉语|普通话)|中文)(?:吧|吗|可以吗|行吗|好吗|就行|回复|谢谢)?$|^(?:(?:can|could) you |please )?(?:speak|talk|write|reply|answer)(?: to me)? in chinese(?: please)?$|^chinese(?: please)?$/;
const TO_EN = /^(?:(?:can|could) you |please |pls )?(?:speak|talk|write|reply|answer|respond|continue)(?: to me)? in english(?: please)?$|^english(?: please)?$|^(?:do|can|could) you speak english$|^(?:请|麻烦|可以|能不能|能)?(?:用|说|讲|切换到|切换成|换成|改用|回复)?英(?:文|语)(?:吧|吗|可以吗|行吗|回复)?$/;

/** A request to carry on in the other language ("我想用中文", "English please"). */
export function languageSwitchOf(text: string): Lang | undefined {
  const t = normaliseText(text).replace(TRAILING, '').replace(/^(?:我想|我要|想|hi|hello)[\s,，]*/, '');
  if (!t || t.length > 40) return undefined;
  if (TO_ZH.test(t)) return 'zh';
  if (TO_EN.test(t)) return 'en';
  return undefined;
}

// the customer says they are done: thanks, "that's all", goodbye — and nothing else
const CLOSING_STRONG = /谢谢(?:你|您|客服|亲)?|感谢|多谢|谢啦|谢了|辛苦了|没有了|没事了|没问题了|没(?:有)?(?:其他|别的)(?:问题|事)?了|就这些(?:了)?|解决了|再见|拜拜|\bthank (?:you|u)\b|\bthanks?\b|\bthx\b|\bty\b|\bcheers\b|much appreciated|appreciate it|that'?s all|that is all|that'?s it|nothing else|all good|all sorted|problem solved|\bbye\b|\bgoodbye\b/g;
const CLOSING_FILLER = /好的|好|嗯|不用|不需要|亲爱的|亲|哦|喔|行|收到|明白了?|知道了|了解了?|已经|非常|太|了|啦|呀|哈|\bok(?:ay)?\b|\bgreat\b|\bperfect\b|\bcool\b|\bgot it\b|\balright\b|\bso much\b|\bvery much\b|\ba lot\b|\bno\b|\bfor (?:the|your) help\b|\bfor helping\b|\bagain\b|\byes\b|\bthat\b|\bsorted\b|\bhelp(?:ed|ful)?\b/g;

export function isClosing(text: string): boolean {
  const t = normaliseText(text);
  if (!t || t.length > 40) return false;
  if (!t.match(CLOSING_STRONG)) return false;
  const rest = t.replace(CLOSING_STRONG, ' ').replace(CLOSING_FILLER, ' ').replace(/[\s,.!?~～…:;'"()\p{Extended_Pictographic}\uFE0F-]+/gu, '');
  return rest.length === 0;
}
