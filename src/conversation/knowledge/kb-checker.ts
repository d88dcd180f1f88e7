import { INTENT_NAMES } from '../intent-names.js';
import { loadKnowledgeBase, type KbArticle, type KbLang } from './kb-article-loader.js';
import { isBigram, termsOf } from './kb-terms.js';

/** Intent names an article may list: the NLU's intent set. */
export const KB_INTENT_NAMES: readonly string[] = INTENT_NAMES;

export interface KbIssue {
  file: string;
  message: string;
}

export interface KbNearDuplicate {
  /** `lang/id` of each article. */
  a: string;
  b: string;
  similarity: number;
}

export interface KbCheckReport {
  articleCount: number;
  errors: KbIssue[];
  warnings: KbIssue[];
  nearDuplicates: KbNearDuplicate[];
}

export const NEAR_DUPLICATE_THRESHOLD = 0.8;
const MIN_QUESTIONS = 4;
const MAX_QUESTIONS = 8;

/** Term-frequency vector of an article's title, questions and body (words only, no bigrams). */
function vectorOf(a: KbArticle): Map<string, number> {
  const v = new Map<string, number>();
  for (const t of termsOf([a.title, ...a.questions, a.body].join('\n'))) {
    if (!isBigram(t)) v.set(t, (v.get(t) ?? 0) + 1);
  }
  return v;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    na += x * x;
    const y = b.get(t);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Pairs of articles in the same language whose term vectors are at least `threshold` similar. */
export function findNearDuplicates(articles: KbArticle[], threshold = NEAR_DUPLICATE_THRESHOLD): KbNearDuplicate[] {
  const out: KbNearDuplicate[] = [];
  const vectors = articles.map(vectorOf);
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      if (articles[i].lang !== articles[j].lang) continue;
      const similarity = cosine(vectors[i], vectors[j]);
      if (similarity >= threshold) {
        out.push({ a: `${articles[i].lang}/${articles[i].id}`, b: `${articles[j].lang}/${articles[j].id}`, similarity: Math.round(similarity * 1000) / 1000 });
      }
    }
  }
  return out.sort((x, y) => y.similarity - x.similarity);
}

/** Checks of loaded articles that the loader alone cannot make (they need the whole set). */
export function checkArticles(articles: KbArticle[], threshold = NEAR_DUPLICATE_THRESHOLD): Omit<KbCheckReport, 'articleCount'> {
  const errors: KbIssue[] = [];
  const warnings: KbIssue[] = [];
  const ids: Record<KbLang, Map<string, string>> = { zh: new Map(), en: new Map() };
  for (const a of articles) {
    const seen = ids[a.lang].get(a.id);
    if (seen) errors.push({ file: a.file, message: `id: "${a.id}" is already used by ${seen} (${a.lang})` });
    else ids[a.lang].set(a.id, a.file);
    if (a.body.trim() === '') errors.push({ file: a.file, message: 'body: the answer is empty' });
    for (const intent of a.intents) {
      if (!KB_INTENT_NAMES.includes(intent)) errors.push({ file: a.file, message: `intents: unknown intent "${intent}"` });
    }
    if (a.questions.length < MIN_QUESTIONS || a.questions.length > MAX_QUESTIONS) {
      warnings.push({ file: a.file, message: `questions: ${a.questions.length} variants; ${MIN_QUESTIONS}–${MAX_QUESTIONS} are recommended` });
    }
    if (new Set(a.questions.map((q) => q.toLowerCase())).size !== a.questions.length) {
      warnings.push({ file: a.file, message: 'questions: the same question is listed twice' });
    }
  }
  for (const [lang, other] of [['zh', 'en'], ['en', 'zh']] as const) {
    for (const [id, file] of ids[lang]) {
      if (!ids[other].has(id)) warnings.push({ file, message: `id: "${id}" has no ${other} translation` });
    }
  }
  return { errors, warnings, nearDuplicates: findNearDuplicates(articles, threshold) };
}

/**
 * Validates a knowledge-base folder: front matter (via the loader), id uniqueness per language,
 * zh/en counterparts (warnings), empty bodies, unknown intents, and near-duplicate articles.
 */
export async function checkKnowledgeBase(dir: string, opts: { nearDuplicateThreshold?: number } = {}): Promise<KbCheckReport> {
  const { articles, errors: loadErrors } = await loadKnowledgeBase(dir);
  const checked = checkArticles(articles, opts.nearDuplicateThreshold);
  return { articleCount: articles.length, ...checked, errors: [...loadErrors, ...checked.errors] };
}
