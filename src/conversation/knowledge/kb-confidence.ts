/**
 * Turning raw BM25 scores into a 0..1 confidence, and confidence into a decision.
 * The coefficients and thresholds are fitted by kb-threshold-tuner.ts on the articles' own
 * question variants (each left out of the index in turn), never on the test files.
 */

export interface ConfidenceModel {
  /** Weight of coverage: the hit's score over the query's self-score (0..1). */
  coverage: number;
  /** Weight of margin: how far the hit is ahead of the next one, relative to the self-score. */
  margin: number;
  bias: number;
}

export interface DecisionThresholds {
  /** At or above: answer with the top article. */
  high: number;
  /** At or above (and below high): offer the top 2–3 as choices; below: no answer. */
  low: number;
}

export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = { coverage: 1.12, margin: 4.53, bias: -1.15 };
export const DEFAULT_THRESHOLDS: DecisionThresholds = { high: 0.81, low: 0.37 };

export interface ScoreFeatures {
  coverage: number;
  margin: number;
}

/**
 * Features of each ranked score, both in units of the query's self-score: coverage = score (capped
 * at 1); margin = for the top hit its lead over the second, for the others their (negative) distance to the top.
 */
export function scoreFeatures(scores: number[], selfScore: number): ScoreFeatures[] {
  const top = scores[0] ?? 0;
  return scores.map((s, i) => {
    const coverage = selfScore > 0 ? Math.min(1, s / selfScore) : 0;
    const next = scores[i + 1] ?? 0;
    // Relative to the self-score, not the top score: a weak lone match must not look decisive.
    const margin = selfScore <= 0 ? 0 : Math.min(1, i === 0 ? (s - next) / selfScore : (s - top) / selfScore);
    return { coverage, margin };
  });
}

export function confidenceOf(f: ScoreFeatures, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL): number {
  const z = model.coverage * f.coverage + model.margin * f.margin + model.bias;
  return 1 / (1 + Math.exp(-z));
}

export type KbDecisionOf<H> = { kind: 'answer'; hit: H } | { kind: 'choices'; hits: H[] } | { kind: 'none' };

/**
 * Answer when the top hit is at or above `high`; offer the top 2–3 when it is between `low` and
 * `high` (a third only if it reaches half of `low`, so choices are not padded with noise);
 * nothing below `low`. If only one article matched at all there is nothing to choose from, and
 * a top hit between the thresholds is answered.
 */
export function decideFromHits<H extends { confidence: number }>(hits: H[], t: DecisionThresholds = DEFAULT_THRESHOLDS): KbDecisionOf<H> {
  const top = hits[0];
  if (!top || top.confidence < t.low) return { kind: 'none' };
  if (top.confidence >= t.high || hits.length === 1) return { kind: 'answer', hit: top };
  const third = hits[2] && hits[2].confidence >= t.low / 2 ? [hits[2]] : [];
  return { kind: 'choices', hits: [top, hits[1], ...third] };
}
