/**
 * Keeps what the customer wrote in a reply and drops the rest: the quoted earlier message and the
 * signature, in the conventions of Chinese and English mail clients:
 *
 * - separators: "-----Original Message-----", "-----原始邮件-----" (Outlook zh), QQ Mail's
 *   "------------------ 原始邮件 ------------------", "---- 回复的原邮件 ----" (NetEase),
 *   "-------- 原始信件 --------", Outlook's "________________" rule before its header block;
 * - attribution lines: "On Mon, 1 Jan 2024, Alice <a@x> wrote:" (also wrapped over 2–3 lines),
 *   "在 2024年1月1日 …，Alice 写道：", "Alice <a@x> 于2024年1月1日周一 10:00写道：", "…寫道：";
 * - header blocks: "From: … / Sent: …", "发件人: … / 发送时间: …", "寄件者: … / 寄件日期: …",
 *   "From: … / Date: …" within the next few lines;
 * - lines starting with ">" (also between the customer's own lines, for inline answers);
 * - signatures: the "-- " delimiter and what follows, "发自我的iPhone", "Sent from my iPhone",
 *   "发自网易邮箱大师", "获取 Outlook for iOS" and the like.
 *
 * Pure: text in, `{ text, stripped }` out.
 */
const SEPARATOR = /^\s*(?:-{2,}|_{2,}|={2,})\s*(?:original message|原始邮件|原邮件|回复的原邮件|原始信件|原始郵件|原始訊息)\s*(?:-{2,}|_{2,}|={2,})\s*$/i;
const RULE = /^\s*_{10,}\s*$/;
const FROM_LINE = /^\s*\*?(?:from|发件人|發件人|寄件者|寄件人)\s*\*?\s*[:：]/i;
const DATE_LINE = /^\s*\*?(?:sent|date|发送时间|發送時間|时间|日期|寄件日期|发送日期|sent at)\s*\*?\s*[:：]/i;
const WROTE_END = /(?:wrote|writes|写道|寫道)\s*[:：]\s*$/i;
const SIGNATURE = /^--\s?$/;
const MOBILE_SIGNATURE = /^\s*(?:sent from my \S+.*|sent from (?:outlook|mail|yahoo mail).*|get outlook for \S+.*|获取\s*outlook\s*for.*|发自我的\s*\S+|發自我的\s*\S+|来自我的\s*\S+|从我的\s*\S+\s*发送|從我的\s*\S+\s*傳送|发自网易邮箱(?:大师)?|发自.{1,12}邮箱.*|发自\s*(?:wps|钉钉|企业微信).*)\s*$/i;

const ATTRIBUTION_START = /^(?:on|le|am|el)\s|^(?:在|于|於)|<[^>]+@[^>]+>|\d{4}[-/年]/i;

function isAttribution(lines: string[], i: number): boolean {
  if (!lines[i].trim() || !ATTRIBUTION_START.test(lines[i].trim())) return false;
  // up to three lines joined (Gmail wraps a long attribution), never across a blank line
  for (let n = 1; n <= 3 && i + n <= lines.length; n++) {
    if (n > 1 && !lines[i + n - 1].trim()) return false;
    const joined = lines.slice(i, i + n).join(' ').trim();
    if (WROTE_END.test(joined) && joined.length <= 300) return true;
  }
  return false;
}

function isHeaderBlock(lines: string[], i: number): boolean {
  if (!FROM_LINE.test(lines[i])) return false;
  for (let j = i + 1; j <= i + 4 && j < lines.length; j++) if (DATE_LINE.test(lines[j])) return true;
  // "Date:" first, then "From:" (some clients): also a block
  for (let j = Math.max(0, i - 2); j < i; j++) if (DATE_LINE.test(lines[j])) return true;
  return false;
}

export function stripQuotedReply(input: string): { text: string; stripped: boolean } {
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (SEPARATOR.test(line) || SIGNATURE.test(line) || isAttribution(lines, i) || isHeaderBlock(lines, i)) {
      end = i;
      break;
    }
    if (RULE.test(line) && lines.slice(i + 1, i + 4).some((l) => FROM_LINE.test(l))) {
      end = i;
      break;
    }
    if (MOBILE_SIGNATURE.test(line)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  const text = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return { text, stripped: end < lines.length || kept.length < end };
}
