/**
 * Greetings, politeness and attention-getters around a request ("亲，在吗？请问…谢谢", "Hi team, can you
 * help me … thanks in advance") carry no intent of their own. They are peeled off the start and the end
 * of a normalised message so the classifier sees the request; a message that is nothing but
 * politeness is left as it is (it is then a greeting or a thank-you).
 */

// Chinese openers, each possibly followed by punctuation. Kept to words that never start a request
// ("客服电话多少" keeps 客服; "亲自" never occurs after a greeting).
const ZH_OPENERS = [
  '你好啊', '你好呀', '你好', '您好', '哈喽', '哈罗', '嗨', '喂', '亲爱的', '亲亲', '亲', '宝宝', '小姐姐', '小哥哥',
  '掌柜的', '掌柜', '老板', '店家', '在吗', '在么', '在嘛', '在不在', '在不', '有人吗', '有人在吗', '早上好', '早安',
  '上午好', '中午好', '下午好', '晚上好', '打扰一下', '打扰了', '打扰下', '不好意思', '麻烦问一下', '麻烦问下', '麻烦一下',
  '麻烦你', '麻烦您', '麻烦', '请问一下', '请问下', '请问', '想问一下', '想问下', '我想问一下', '我想问下', '我想问问',
  '问一下', '问下', '问问', '咨询一下', '咨询下', '我想咨询一下', '我想咨询下', '那个', '就是', '嗯嗯', '嗯', '额', '呃', '哦',
  '喔', '客服你好', '客服您好', '客服在吗', '客服小姐姐', '帮忙看下', '帮我看看', '帮忙看看',
];
const ZH_CLOSERS = [
  '谢谢你', '谢谢您', '谢谢啦', '谢谢了', '谢谢', '多谢', '谢啦', '谢了', '感谢', '麻烦了', '麻烦你了', '麻烦您了', '辛苦了',
  '拜托了', '拜托', '急急急', '急急', '急', '在线等', '着急', '亲', '哈', '哈哈', '呀', '啊', '呢', '哦', '噢', '哟', '嘛', '啦',
  '好吗', '可以吗', '行吗', 'thx', 'thanks',
];
const EN_OPENERS = [
  'hi there', 'hello there', 'hey there', 'hi team', 'hello team', 'hey team', 'hi guys', 'hey guys', 'hello guys',
  'hi all', 'dear team', 'dear support', 'dear sir or madam', 'dear sir', 'dear madam', 'dear customer service',
  'to whom it may concern', 'good morning', 'good afternoon', 'good evening', 'good day', 'greetings', 'hiya',
  'howdy', 'hello', 'hey', 'hi', 'yo', 'sup', 'ok so', 'okay so', 'so', 'um', 'umm', 'uh', 'well', 'excuse me',
  'sorry to bother you', 'sorry to bother', 'quick question', 'i have a question', 'i got a question', 'question',
  'please', 'pls', 'plz', 'kindly', 'shopsupport', 'sir', 'madam',
];
const EN_CLOSERS = [
  'thanks in advance', 'thank you in advance', 'thanks so much', 'thank you so much', 'thanks a lot', 'many thanks',
  'thank you', 'thanks', 'thank u', 'thx', 'thnx', 'ty', 'tia', 'cheers', 'regards', 'kind regards', 'best regards',
  'best', 'please', 'pls', 'plz', 'asap', 'urgently', 'urgent', 'help', 'help me', 'please help', 'pls help',
  'any help', 'any help appreciated', 'appreciate it', 'appreciated', 'much appreciated', 'lol',
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: string[]): string => [...words].sort((a, b) => b.length - a.length).map(escape).join('|');
const SEP = '[\\s,.!?~:;、，。！？…]*';
// A Latin opener must end at a word boundary ("hi" never eats the start of "hiking").
const ZH_OPEN = new RegExp(`^(?:${alternatives(ZH_OPENERS)})${SEP}`);
const ZH_CLOSE = new RegExp(`${SEP}(?:${alternatives(ZH_CLOSERS)})${SEP}$`);
const EN_OPEN = new RegExp(`^(?:${alternatives(EN_OPENERS)})(?![a-z0-9])${SEP}`);
const EN_CLOSE = new RegExp(`(?<![a-z0-9])${SEP}(?:${alternatives(EN_CLOSERS)})${SEP}$`);
const HAS_CONTENT = /[\p{L}\p{N}]/u;

function peel(text: string, re: RegExp): string {
  // A few rounds cover "亲，在吗，请问" and "hi there, good morning,".
  let s = text;
  for (let round = 0; round < 4; round++) {
    const next = s.replace(re, '');
    if (next === s) break;
    s = next;
  }
  return s;
}

/**
 * The request inside a normalised message (see normaliseText), without leading greetings or
 * politeness and trailing thanks. Returns the input itself when nothing of substance would remain.
 */
export function stripPoliteness(normalised: string): string {
  let s = normalised.trim();
  s = peel(peel(s, EN_OPEN), ZH_OPEN);
  s = peel(s, EN_OPEN);
  s = peel(peel(s, EN_CLOSE), ZH_CLOSE);
  s = s.trim();
  // One Chinese character or two Latin letters left is politeness too ("你好呀" → "呀"); keep the original.
  const letters = s.replace(/[^\p{L}\p{N}]/gu, '');
  if (!HAS_CONTENT.test(s) || letters.length < 2) return normalised.trim();
  return s;
}
