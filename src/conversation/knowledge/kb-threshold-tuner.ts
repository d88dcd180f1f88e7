import { loadKnowledgeBase, type KbArticle, type KbLang } from './kb-article-loader.js';
import { scoreFeatures, type ConfidenceModel, type DecisionThresholds, type ScoreFeatures } from './kb-confidence.js';
import { evaluateRetrieval, type RetrievalReport } from './kb-evaluator.js';
import { KnowledgeRetriever } from './kb-retriever.js';
import { findSynonymsFile, loadSynonyms, type SynonymGroups } from './synonym-expander.js';

/**
 * Questions no FAQ article answers, used as negatives when fitting the confidence model.
 * Kept here (not in test/data) because they are training data for the thresholds.
 */
const OUT_OF_SCOPE: Record<KbLang, string[]> = {
  zh: ['今天天气怎么样', '给我讲个笑话', '你是男的还是女的', '推荐一部好看的电影', '北京到上海的高铁几点', '帮我写一首诗', '你们老板叫什么名字', '股票明天会涨吗', '怎么做红烧肉', '我心情不好'],
  en: ["what's the weather like today", 'tell me a joke', 'are you a robot or a person', 'recommend a good movie', 'what time is the train to Shanghai', 'write me a poem', "who is your company's CEO", 'will the stock market go up', 'how do I cook pasta', 'I feel sad today'],
};

export interface TuningSample extends ScoreFeatures {
  /** 1 when the top hit was the right article, 0 otherwise (including out-of-scope questions). */
  label: 0 | 1;
  /** Whether the right article was in the top 3 (false for out-of-scope). */
  inTop3: boolean;
}

export interface TuningResult {
  leaveOneOut: Record<KbLang, Pick<RetrievalReport, 'count' | 'top1' | 'top3' | 'mrr'>>;
  model: ConfidenceModel;
  thresholds: DecisionThresholds;
  samples: number;
}

/**
 * Leave-one-question-out: each front-matter question is removed from its article, the index is
 * rebuilt, and the question is searched. Gives honest ranking features without a test set.
 */
export function leaveOneOutSamples(articles: KbArticle[], synonyms: SynonymGroups): { samples: TuningSample[]; reports: TuningResult['leaveOneOut'] } {
  const samples: TuningSample[] = [];
  const reports = {} as TuningResult['leaveOneOut'];
  for (const lang of ['zh', 'en'] as const) {
    const own = articles.filter((a) => a.lang === lang);
    const totals = { count: 0, top1: 0, top3: 0, mrr: 0 };
    for (const article of own) {
      for (let q = 0; q < article.questions.length; q++) {
        const question = article.questions[q];
        const reduced = own.map((a) => (a === article ? { ...a, questions: a.questions.filter((_, k) => k !== q) } : a));
        const retriever = KnowledgeRetriever.fromArticles(reduced, { synonyms });
        const report = evaluateRetrieval(retriever, [{ question, article_id: article.id }], { lang });
        totals.count++;
        totals.top1 += report.top1;
        totals.top3 += report.top3;
        totals.mrr += report.mrr;
        samples.push(featuresOf(retriever, question, lang, article.id));
      }
    }
    const full = KnowledgeRetriever.fromArticles(own, { synonyms });
    for (const q of OUT_OF_SCOPE[lang]) samples.push(featuresOf(full, q, lang, undefined));
    const n = totals.count || 1;
    reports[lang] = { count: totals.count, top1: totals.top1 / n, top3: totals.top3 / n, mrr: totals.mrr / n };
  }
  return { samples, reports };
}

function featuresOf(retriever: KnowledgeRetriever, question: string, lang: KbLang, expected: string | undefined): TuningSample {
  const { hits, selfScore } = retriever.rawSearch(question, lang);
  const f = scoreFeatures(hits.map((h) => h.score), selfScore)[0] ?? { coverage: 0, margin: 0 };
  const rank = expected ? hits.findIndex((h) => h.article.id === expected) : -1;
  return { ...f, label: rank === 0 ? 1 : 0, inTop3: rank >= 0 && rank < 3 };
}

/** Logistic regression on (coverage, margin) by plain gradient descent; small data, so this is enough. */
export function fitConfidenceModel(samples: TuningSample[], epochs = 4000, rate = 0.5): ConfidenceModel {
  let wc = 0;
  let wm = 0;
  let b = 0;
  const n = samples.length || 1;
  for (let e = 0; e < epochs; e++) {
    let gc = 0;
    let gm = 0;
    let gb = 0;
    for (const s of samples) {
      const p = 1 / (1 + Math.exp(-(wc * s.coverage + wm * s.margin + b)));
      const d = p - s.label;
      gc += d * s.coverage;
      gm += d * s.margin;
      gb += d;
    }
    wc -= (rate * gc) / n;
    wm -= (rate * gm) / n;
    b -= (rate * gb) / n;
  }
  return { coverage: round(wc), margin: round(wm), bias: round(b) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * high: the lowest confidence at which answers are still ≥ `answerPrecision` correct;
 * low: the highest confidence that still keeps ≥ `recall` of the questions whose article is in the top 3.
 */
export function chooseThresholds(confidences: { c: number; s: TuningSample }[], answerPrecision = 0.92, recall = 0.97): DecisionThresholds {
  const sorted = [...confidences].sort((a, b) => b.c - a.c);
  let high = 1;
  let correct = 0;
  sorted.forEach((x, i) => {
    correct += x.s.label;
    if (correct / (i + 1) >= answerPrecision) high = x.c;
  });
  const inTop3 = sorted.filter((x) => x.s.inTop3).map((x) => x.c);
  const low = inTop3.length ? inTop3[Math.min(inTop3.length - 1, Math.floor(inTop3.length * recall))] : 0;
  return { high: round(Math.max(high, low)), low: round(low) };
}

/** The whole tuning run: leave-one-out samples, fitted confidence model, chosen thresholds. */
export function tuneOnTrainingQuestions(articles: KbArticle[], synonyms: SynonymGroups): TuningResult {
  const { samples, reports } = leaveOneOutSamples(articles, synonyms);
  const model = fitConfidenceModel(samples);
  const conf = samples.map((s) => ({ s, c: 1 / (1 + Math.exp(-(model.coverage * s.coverage + model.margin * s.margin + model.bias))) }));
  return { leaveOneOut: reports, model, thresholds: chooseThresholds(conf), samples: samples.length };
}

/**
 * Tunes on a knowledge-base folder with the synonyms found exactly as KnowledgeRetriever.load
 * finds them (folder or its parent), so the fitted model sees the same scores as production.
 */
export async function tuneKnowledgeBase(dir: string): Promise<TuningResult> {
  const { articles } = await loadKnowledgeBase(dir);
  const file = findSynonymsFile(dir);
  return tuneOnTrainingQuestions(articles, file ? await loadSynonyms(file) : []);
}
