export type DetectedLanguage = 'zh' | 'en' | 'mixed' | 'unknown';

const HAN_G = /[\u3400-\u9FFF\uF900-\uFAFF]/g;
const LATIN_G = /[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A]/g;

/**
 * Language of a message from the share of Han characters among Han + Latin letters.
 * Pinyin typed without characters counts as 'en'; digits, emoji and punctuation only → 'unknown'.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const sample = text.length > 2000 ? text.slice(0, 2000) : text;
  const han = sample.match(HAN_G)?.length ?? 0;
  const latin = sample.match(LATIN_G)?.length ?? 0;
  if (han === 0 && latin === 0) return 'unknown';
  if (han === 0) return 'en';
  if (latin === 0) return 'zh';
  // A Han character carries about as much as a two-letter chunk of a Latin word.
  const ratio = han / (han + latin / 2);
  if (ratio >= 0.8) return 'zh';
  if (ratio <= 0.2) return 'en';
  return 'mixed';
}
