import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { isBigram, termsOf } from './kb-terms.js';

/** Groups of words and phrases that mean the same thing, zh and en mixed. */
export type SynonymGroups = string[][];

const synonymFileSchema = z.object({
  groups: z.array(z.array(z.union([z.string(), z.number()]).transform(String)).min(2, 'a group needs at least two entries')),
});

/**
 * The synonyms.yml of a knowledge-base folder: in the folder itself or its parent, so both
 * `knowledge-base` and `knowledge-base/faq` find `knowledge-base/synonyms.yml`.
 */
export function findSynonymsFile(dir: string): string | undefined {
  return [path.join(dir, 'synonyms.yml'), path.join(path.dirname(dir), 'synonyms.yml')].find((f) => existsSync(f));
}

/** Reads a synonyms.yml (`groups: [[快递, 物流, shipping], …]`). */
export async function loadSynonyms(file: string): Promise<SynonymGroups> {
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${file}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = synonymFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION_FAILED', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data.groups;
}

/** A query term with the weight it carries in scoring: 1 when typed, less when added. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

interface Entry {
  group: number;
  terms: string[];
}

/**
 * Expands query terms with their synonyms. Entries are turned into terms exactly like queries,
 * so a multi-word entry ("money back") matches only as a contiguous phrase of the query.
 */
export class SynonymExpander {
  /** First term of an entry → the entries that start with it. */
  private readonly byFirstTerm = new Map<string, Entry[]>();
  private readonly groupTerms: string[][] = [];

  constructor(groups: SynonymGroups, private readonly expandedWeight = 0.35) {
    groups.forEach((group, g) => {
      const terms = new Set<string>();
      for (const raw of group) {
        const entryTerms = termsOf(raw).filter((t) => !isBigram(t));
        if (entryTerms.length === 0) continue;
        entryTerms.forEach((t) => terms.add(t));
        const list = this.byFirstTerm.get(entryTerms[0]) ?? [];
        list.push({ group: g, terms: entryTerms });
        this.byFirstTerm.set(entryTerms[0], list);
      }
      this.groupTerms.push([...terms]);
    });
  }

  /** Every term of every group. */
  terms(): Set<string> {
    return new Set(this.groupTerms.flat());
  }

  get size(): number {
    return this.groupTerms.length;
  }

  /**
   * The groups whose entries occur in `terms` (bigram terms are ignored). An entry inside a longer
   * matched entry of another group does not count: "confirm receipt" is not also "receipt" (invoice).
   */
  matchedGroups(terms: string[]): number[] {
    const words = terms.filter((t) => !isBigram(t));
    const spans: { group: number; start: number; end: number }[] = [];
    words.forEach((term, i) => {
      for (const entry of this.byFirstTerm.get(term) ?? []) {
        if (entry.terms.every((t, k) => words[i + k] === t)) spans.push({ group: entry.group, start: i, end: i + entry.terms.length });
      }
    });
    const hit = new Set<number>();
    for (const s of spans) {
      const inside = spans.some((o) => o.group !== s.group && o.start <= s.start && o.end >= s.end && o.end - o.start > s.end - s.start);
      if (!inside) hit.add(s.group);
    }
    return [...hit];
  }

  /**
   * The query terms at weight 1 plus the terms of every matched synonym group at the
   * down-weighted `expandedWeight`; each term appears once, at its highest weight.
   */
  expand(terms: string[]): WeightedTerm[] {
    const weights = new Map<string, number>();
    for (const t of terms) weights.set(t, 1);
    for (const g of this.matchedGroups(terms)) {
      for (const t of this.groupTerms[g]) if (!weights.has(t)) weights.set(t, this.expandedWeight);
    }
    return [...weights].map(([term, weight]) => ({ term, weight }));
  }
}
