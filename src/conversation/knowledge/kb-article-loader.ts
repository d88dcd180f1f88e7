import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export type KbLang = 'zh' | 'en';

/** One FAQ article; the same `id` in zh and en marks translations of each other. */
export interface KbArticle {
  id: string;
  lang: KbLang;
  title: string;
  /** Question variants as customers phrase them; the strongest retrieval signal. */
  questions: string[];
  tags: string[];
  intents: string[];
  /** The answer, markdown. */
  body: string;
  /** Path of the source file, relative to the folder that was loaded. */
  file: string;
}

export interface KbLoadError {
  file: string;
  message: string;
}

export interface KbLoadResult {
  articles: KbArticle[];
  errors: KbLoadError[];
}

const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const frontMatterSchema = z.object({
  id: z.string().regex(KEBAB_ID, 'must be a kebab-case id like "shipping-fees"'),
  title: z.string().trim().min(1, 'must not be empty'),
  lang: z.enum(['zh', 'en']).optional(),
  questions: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one question'),
  tags: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  intents: z.array(z.string()).default([]),
});

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/**
 * Where the articles of a knowledge base live: `<dir>/faq` when it exists (the repository layout,
 * `knowledge-base/faq/{zh,en}/*.md`), otherwise `dir` itself.
 */
export async function resolveArticleDir(dir: string): Promise<string> {
  const faq = path.join(dir, 'faq');
  try {
    if ((await stat(faq)).isDirectory()) return faq;
  } catch {
    // no faq/ sub-folder: the folder itself holds the articles
  }
  return dir;
}

/** Every `*.md` file under `dir` except READMEs, sorted for a stable article order. */
export async function listArticleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md')
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function langFromPath(rel: string): KbLang | undefined {
  const parts = rel.split(path.sep);
  if (parts.includes('zh')) return 'zh';
  if (parts.includes('en')) return 'en';
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(front matter)';
  return `${field}: ${issue.message}`;
}

/** Parses one article file's text; returns the article or every problem found in it. */
export function parseArticle(text: string, rel: string): { article: KbArticle } | { errors: KbLoadError[] } {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { errors: [{ file: rel, message: 'missing front matter: the file must start with a "---" block closed by "---"' }] };
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { errors: [{ file: rel, message: `front matter is not valid YAML: ${reason}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { errors: [{ file: rel, message: 'front matter must be a YAML mapping (key: value lines)' }] };
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((issue) => ({ file: rel, message: describeIssue(issue) })) };
  }
  const fm = parsed.data;
  const lang = fm.lang ?? langFromPath(rel);
  if (!lang) return { errors: [{ file: rel, message: 'lang: not set and the file is not under a zh/ or en/ folder' }] };
  return {
    article: {
      id: fm.id,
      lang,
      title: fm.title.trim(),
      questions: fm.questions.map((q) => q.trim()),
      tags: fm.tags.map((t) => t.trim()).filter((t) => t.length > 0),
      intents: fm.intents,
      body: m[2].trim(),
      file: rel,
    },
  };
}

/**
 * Reads every article of a knowledge base (see `resolveArticleDir`). A malformed file does not stop
 * the load: its problems are collected in `errors`, each naming the file and the field.
 */
export async function loadKnowledgeBase(dir: string): Promise<KbLoadResult> {
  const root = await resolveArticleDir(dir);
  const files = await listArticleFiles(root);
  const articles: KbArticle[] = [];
  const errors: KbLoadError[] = [];
  for (const file of files) {
    const rel = path.relative(root, file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      errors.push({ file: rel, message: `cannot read file: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const result = parseArticle(text, rel);
    if ('article' in result) articles.push(result.article);
    else errors.push(...result.errors);
  }
  return { articles, errors };
}
