import { KnowledgeRetriever } from '../knowledge/kb-retriever.js';
import type { Lang } from '../replies/reply-texts.js';
import type { KnowledgeAnswerer } from './turn-types.js';

export interface LoadedKnowledge {
  retriever: KnowledgeRetriever;
  answerer: KnowledgeAnswerer;
  stopWatching(): void;
}

/** Loads the FAQ articles, watches them for edits (hot reload), and adapts them to the engine. */
export async function loadKnowledge(dir: string, opts: { watch?: boolean } = {}): Promise<LoadedKnowledge> {
  const retriever = await KnowledgeRetriever.load(dir);
  const stop = opts.watch === false ? () => undefined : retriever.watch();
  return { retriever, answerer: answererFor(retriever), stopWatching: stop };
}

export function answererFor(retriever: KnowledgeRetriever): KnowledgeAnswerer {
  return {
    decide: (query, opts) => retriever.decide(query, { lang: opts?.lang, intent: opts?.intent }),
    articleById: (id: string, lang: Lang) => retriever.articles.find((a) => a.id === id && a.lang === lang),
  };
}
