import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Builds the text of an article file; tests override only what they care about. */
export function articleText(fields: { id: string; title?: string; questions?: string[]; tags?: string[]; intents?: string[]; body?: string }): string {
  const questions = fields.questions ?? ['question one', 'question two'];
  return [
    '---',
    `id: ${fields.id}`,
    `title: ${fields.title ?? fields.id}`,
    'questions:',
    ...questions.map((q) => `  - ${q}`),
    `tags: [${(fields.tags ?? []).join(', ')}]`,
    `intents: [${(fields.intents ?? []).join(', ')}]`,
    '---',
    fields.body ?? 'An answer.',
    '',
  ].join('\n');
}

/** A temporary knowledge-base folder with `faq/<lang>/<name>` files and an optional synonyms.yml. */
export async function tempKnowledgeBase(files: Record<string, string>, synonyms?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shopdesk-kb-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, 'faq', rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  if (synonyms !== undefined) await writeFile(path.join(dir, 'synonyms.yml'), synonyms);
  return dir;
}
