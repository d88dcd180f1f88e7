import { logger } from '../../shared/logger.js';
import { detectLanguage } from '../text/language-detector.js';
import { articleDoc, Bm25Index, DEFAULT_BM25_OPTIONS, type Bm25Options } from './bm25-index.js';
import { loadKnowledgeBase, type KbArticle, type KbLang, type KbLoadError } from './kb-article-loader.js';
import {
  confidenceOf, decideFromHits, DEFAULT_CONFIDENCE_MODEL, DEFAULT_THRESHOLDS, scoreFeatures,
  type ConfidenceModel, type DecisionThresholds, type KbDecisionOf,
} from './kb-confidence.js';
import { termsOf } from './kb-terms.js';
import { normaliseText } from '../text/text-normaliser.js';
import { stripPoliteness } from '../text/politeness-stripper.js';
import { TypoCorrector } from './kb-typo-corrector.js';
import { watchKnowledgeBase, type KbReloadEvent } from './kb-watcher.js';
import { findSynonymsFile, loadSynonyms, SynonymExpander, type SynonymGroups } from './synonym-expander.js';

const log = logger('kb-retriever');

/** A retrieved article: raw BM25F `score` and a 0..1 `confidence` comparable across queries. */
export interface KbHit {
  article: KbArticle;
  score: number;
  confidence: number;
}

export type KbDecision = KbDecisionOf<KbHit>;

export interface KbSearchOptions {
  /** Search only this language; by default the query's detected language, mixed → both. */
  lang?: KbLang;
  limit?: number;
  /** An intent from NLU: articles listing it get a small boost, others are not excluded. */
  intent?: string;
}

export interface KnowledgeRetrieverOptions {
  /** Synonym groups; by default read from synonyms.yml in the folder or its parent. */
  synonyms?: SynonymGroups;
  bm25?: Partial<Bm25Options>;
  confidence?: ConfidenceModel;
  thresholds?: DecisionThresholds;
  /** Debounce of hot reload, ms. */
  reloadDebounceMs?: number;
}

const INTENT_BOOST = 1.15;
const LANGS: readonly KbLang[] = ['zh', 'en'];

interface LangIndex {
  articles: KbArticle[];
  index: Bm25Index;
  typos: TypoCorrector;
}

interface KbState {
  articles: KbArticle[];
  byLang: Map<KbLang, LangIndex>;
  expander: SynonymExpander;
  errors: KbLoadError[];
}

/**
 * FAQ retrieval: per-language BM25F indexes over the knowledge-base articles with synonym
 * expansion, a calibrated confidence, and an answer / choices / none decision.
 */
export class KnowledgeRetriever {
  private state: KbState;

  private constructor(state: KbState, private readonly dir: string | undefined, private readonly opts: KnowledgeRetrieverOptions) {
    this.state = state;
  }

  /**
   * Loads the articles under `dir` (see loadKnowledgeBase) and the synonyms. Malformed articles
   * are skipped and listed in `loadErrors`; the rest are served.
   */
  static async load(dir: string, opts: KnowledgeRetrieverOptions = {}): Promise<KnowledgeRetriever> {
    const state = await KnowledgeRetriever.buildFromDir(dir, opts);
    if (state.errors.length > 0) log.warn({ errorCount: state.errors.length }, 'knowledge base loaded with malformed articles skipped');
    return new KnowledgeRetriever(state, dir, opts);
  }

  /** A retriever over articles already in memory (tests, tuning); it cannot hot-reload. */
  static fromArticles(articles: KbArticle[], opts: KnowledgeRetrieverOptions = {}): KnowledgeRetriever {
    return new KnowledgeRetriever(KnowledgeRetriever.buildState(articles, opts.synonyms ?? [], opts, []), undefined, opts);
  }

  private static async buildFromDir(dir: string, opts: KnowledgeRetrieverOptions): Promise<KbState> {
    const { articles, errors } = await loadKnowledgeBase(dir);
    let synonyms = opts.synonyms;
    if (!synonyms) {
      const file = findSynonymsFile(dir);
      synonyms = file ? await loadSynonyms(file) : [];
    }
    return KnowledgeRetriever.buildState(articles, synonyms, opts, errors);
  }

  private static buildState(articles: KbArticle[], synonyms: SynonymGroups, opts: KnowledgeRetrieverOptions, errors: KbLoadError[]): KbState {
    const bm25 = { ...DEFAULT_BM25_OPTIONS, ...opts.bm25 };
    const byLang = new Map<KbLang, LangIndex>();
    const expander = new SynonymExpander(synonyms);
    const synonymTerms = expander.terms();
    for (const lang of LANGS) {
      const list = articles.filter((a) => a.lang === lang);
      const index = new Bm25Index(list.map(articleDoc), bm25);
      byLang.set(lang, { articles: list, index, typos: new TypoCorrector(index.vocabulary(), synonymTerms) });
    }
    return { articles, byLang, expander, errors };
  }

  get articles(): readonly KbArticle[] {
    return this.state.articles;
  }

  /** Problems of the files skipped by the last successful load. */
  get loadErrors(): readonly KbLoadError[] {
    return this.state.errors;
  }

  /**
   * Ranked raw scores in one language and the query's self-score, before any confidence; the
   * threshold tuner fits the confidence model on these.
   */
  rawSearch(query: string, lang: KbLang, opts: KbSearchOptions = {}, limit = 10): { hits: { article: KbArticle; score: number }[]; selfScore: number } {
    const li = this.state.byLang.get(lang);
    if (!li || li.articles.length === 0) return { hits: [], selfScore: 0 };
    const terms = this.state.expander.expand(li.typos.correct(termsOf(query)));
    // Fetch a few extra so the intent boost can reorder the tail.
    const hits = li.index
      .search(terms, limit + 5)
      .map((m) => {
        const article = li.articles[m.doc];
        const boost = opts.intent && article.intents.includes(opts.intent) ? INTENT_BOOST : 1;
        return { article, score: m.score * boost };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    return { hits, selfScore: li.index.selfScore(terms) };
  }

  private searchLang(lang: KbLang, query: string, opts: KbSearchOptions, limit: number): KbHit[] {
    const { hits, selfScore } = this.rawSearch(query, lang, opts, Math.max(limit, 3));
    const features = scoreFeatures(hits.map((m) => m.score), selfScore);
    const model = this.opts.confidence ?? DEFAULT_CONFIDENCE_MODEL;
    return hits.map((m, i) => ({ ...m, confidence: confidenceOf(features[i], model) }));
  }

  /** Articles for a customer question, best first. */
  search(query: string, opts: KbSearchOptions = {}): KbHit[] {
    const limit = opts.limit ?? 5;
    let langs: readonly KbLang[];
    if (opts.lang) langs = [opts.lang];
    else {
      const detected = detectLanguage(query);
      langs = detected === 'zh' || detected === 'en' ? [detected] : LANGS;
    }
    let hits = langs.flatMap((lang) => this.searchLang(lang, query, opts, limit));
    // The detected language had nothing: an English product word in a Chinese shop, say.
    if (hits.length === 0 && !opts.lang && langs.length === 1) {
      hits = this.searchLang(langs[0] === 'zh' ? 'en' : 'zh', query, opts, limit);
    }
    if (langs.length > 1) {
      // Both languages searched: keep the better of an article and its translation.
      const best = new Map<string, KbHit>();
      for (const h of hits) {
        const seen = best.get(h.article.id);
        if (!seen || h.confidence > seen.confidence) best.set(h.article.id, h);
      }
      hits = [...best.values()].sort((a, b) => b.confidence - a.confidence || b.score - a.score);
    }
    return hits.slice(0, limit);
  }

  /** Answer, offer 2–3 choices, or nothing, by the top hit's confidence (see decideFromHits). */
  decide(query: string, opts: Omit<KbSearchOptions, 'limit'> = {}): KbDecision {
    const hits = this.search(query, { ...opts, limit: 3 });
    // the customer asked exactly one article's question (or title): that article answers, however
    // close a neighbour scores ("how much is shipping?" vs "how much is international shipping")
    const asked = exactForm(query);
    const exact = asked ? hits.filter((h) => [h.article.title, ...h.article.questions].some((q) => exactForm(q) === asked)) : [];
    if (exact.length === 1) return { kind: 'answer', hit: exact[0] };
    return decideFromHits(hits, this.opts.thresholds ?? DEFAULT_THRESHOLDS);
  }

  /**
   * Reloads on any change under the folder (debounced). A reload with malformed articles or
   * synonyms is rejected and the current index keeps serving. Returns a function that stops watching.
   */
  watch(onReload?: (event: KbReloadEvent) => void): () => void {
    const dir = this.dir;
    if (!dir) return () => undefined;
    return watchKnowledgeBase(dir, this.opts.reloadDebounceMs ?? 250, async () => {
      let next: KbState;
      try {
        next = await KnowledgeRetriever.buildFromDir(dir, this.opts);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, articleCount: this.state.articles.length, errors: [{ file: 'synonyms.yml', message }] };
      }
      if (next.errors.length > 0) return { ok: false, articleCount: this.state.articles.length, errors: next.errors };
      this.state = next;
      return { ok: true, articleCount: next.articles.length, errors: [] };
    }, onReload);
  }
}

/** A question reduced for an exact comparison: width, case, politeness, punctuation and spaces ignored. */
function exactForm(text: string): string {
  return stripPoliteness(normaliseText(text)).toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, '');
}
