import { normaliseText } from '../text/text-normaliser.js';

/**
 * Small talk: messages that are about the conversation itself rather than the shop (who is
 * answering, "are you there?", a compliment, a joke). They get a short friendly answer and are
 * never counted as a message the bot failed on.
 *
 * A small lexicon decides first and names the kind. The intent model also reports small talk, as
 * the sub-intent `small_talk` under `out_of_scope` (so an evaluation that labels chit-chat off-topic
 * still counts it right); when only the model sees it, the answer is a generic friendly one.
 * The lexicon matches whole messages only: "在吗，我的快递到哪了" is a request with
 * a greeting in front, not small talk. Text is normalised first, so traditional characters,
 * full-width punctuation and case do not matter.
 */
export const SMALL_TALK_KINDS = ['identity', 'presence', 'compliment', 'laugh', 'joke', 'how_are_you'] as const;
export type SmallTalkKind = (typeof SMALL_TALK_KINDS)[number];

/** The model's name for small talk, when it reports one (nlu `subIntent`). */
export const SMALL_TALK_SUB_INTENT = 'small_talk';

// what people put around small talk: greetings, laughter, particles, punctuation, emoji
const PREFIX = /^(?:(?:你好|您好|亲爱的|亲|哈喽|嗨|hi|hello|hey|哈哈+|呵呵+|嘿嘿+|嘻嘻+|(?:ha){2,}h?|(?:he){2,}h?|lol|请问|那个|话说|so|ok|okay|well)(?![a-z])[\s,，.!！?？~～]*)+/;
const SUFFIX = /(?:[\s,.!?~～…^_]|[:;]-?[()dp]|[呀啊呢哦喔嘛吧啦哈嘻呵]|\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\u200D|\uFE0F)+$/u;

const BOT_NOUN = '(?:机器人|真人|人工智能|人工|ai|机器|智能客服|自动回复|人类|bot|真的人|活人|人)';

const LEXICON: [SmallTalkKind, RegExp][] = [
  ['identity', new RegExp([
    `^(?:你|您|这边|这里|对面)?(?:是不是|是|到底是)(?:一个)?${BOT_NOUN}(?:吗|么|啊|还是.{1,8})?$`,
    `^(?:你|您)?(?:一个)?${BOT_NOUN}(?:吗|么)$`,
    '^(?:你|您)是谁$', '^(?:你|您)叫(?:什么|啥)(?:名字)?$', '^谁(?:在)?(?:回复|回答|跟我聊)(?:我)?$',
    '^(?:are|r) (?:you|u) (?:a |an )?(?:bot|robot|human|real|real person|person|ai|machine|chatbot|computer|program|real human)(?: or .{1,20})?$',
    '^(?:is this|am i (?:talking|chatting|speaking) (?:to|with)) (?:a |an )?(?:bot|robot|real person|human|machine|ai|chatbot|automated(?: reply| system)?)$',
    '^who (?:are you|am i (?:talking|chatting|speaking) (?:to|with))$', "^what(?:'s| is) your name$", '^what are you$',
  ].join('|'))],
  ['presence', /^(?:在吗|在么|在嘛|在不在|在不|有人吗|有人在吗|有人么|还在吗|人呢|客服在吗|客服呢|在线吗|喂+|哈喽+|are you there|you there|anyone there|is anyone there|is somebody there|anybody there|is anybody there|hello+|still there|are you still there)$/],
  ['joke', /^(?:(?:给我|跟我|能|可以|你会)?(?:讲|说|来)(?:一?个|几个|点)?笑话(?:吗|么|听听|听)?|(?:can you |could you |please )?(?:tell|say) (?:me )?(?:a |another )?(?:joke|something funny)(?: please)?|(?:do you )?know any jokes|make me laugh)$/],
  ['how_are_you', /^(?:你|您)(?:今天|最近)?(?:好吗|还好吗|怎么样|过得怎么样|累不累|累吗)$|^(?:how are (?:you|u)(?: doing| today)?|how(?:'s| is) it going|how(?:'s| is) your day|what'?s up|sup)$/],
  ['compliment', new RegExp([
    '^(?:你|您)?(?:真|好|太|很|超|挺|蛮|这么)(?:可爱|棒|聪明|厉害|贴心|机智|优秀|有趣|牛|萌)(?:了|哦|的)?$',
    '^(?:你|您)(?:真|太|很|超|挺|蛮)?(?:可爱|棒|聪明|厉害|贴心|机智|优秀|有趣|牛|萌|好)(?:了|哦|的)?$',
    '^(?:可爱|聪明|厉害|棒|贴心|点赞|赞+|给你点赞|爱你|么么哒|好评)$',
    "^(?:(?:you(?:'re| are)|u r|ur) (?:so |very |really |the )?(?:cute|smart|great|awesome|amazing|funny|helpful|nice|sweet|clever|best|lovely|brilliant)|good bot|nice bot|love (?:you|u)|i love (?:you|u)|well done|nice one)$",
  ].join('|'))],
  ['laugh', /^(?:哈+|呵+|嘿+|嘻+|lol|lmao|rofl|(?:ha){2,}h?|(?:he){2,}h?|xd)$/],
];

/** The kind of small talk a message is, or undefined when it is anything else. */
export function smallTalkOf(text: string): SmallTalkKind | undefined {
  const t = normaliseText(text);
  if (!t || t.length > 40) return undefined;
  const stripped = t.replace(SUFFIX, '');
  const core = stripped.replace(PREFIX, '').replace(SUFFIX, '');
  // laughter on its own ("哈哈哈", "lol") is the prefix itself
  if (!core) return /[哈呵嘿嘻]|lol|haha|hehe/.test(t) ? 'laugh' : undefined;
  // the whole message first ("你好吗" starts with a greeting but is not one)
  for (const candidate of [stripped, core]) {
    for (const [kind, re] of LEXICON) if (re.test(candidate)) return kind;
  }
  return undefined;
}

/**
 * Small talk as the engine sees it: the model's sub-intent when it gives one (the lexicon still
 * names the kind, else a generic friendly answer), otherwise the lexicon.
 */
export function detectSmallTalk(text: string, subIntent?: string): SmallTalkKind | 'other' | undefined {
  const kind = smallTalkOf(text);
  if (kind) return kind;
  return subIntent === SMALL_TALK_SUB_INTENT ? 'other' : undefined;
}
