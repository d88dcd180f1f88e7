import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `shopdesk --help` and one-shot commands start in well under a second only if the CLI's entry
 * loads nothing heavy eagerly: commands import what they use when they run. This follows the
 * static (non-type, non-dynamic) imports from the entry and checks none of the heavy parts is
 * among them. The timing itself is measured by `npm run bench:cli`.
 */
const SRC = resolve(import.meta.dirname, '..', '..', 'src');
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function eagerClosure(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (modules.has(file)) return;
    modules.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(target)) visit(target);
      } else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(entry);
  return { modules: new Set([...modules].map((f) => relative(SRC, f))), packages };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'generated' || name === 'public') return [];
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('CLI start-up', () => {
  const { modules, packages } = eagerClosure(join(SRC, 'cli', 'shopdesk-cli.ts'));

  it('reads the CLI and its commands', () => {
    expect(modules.has('cli/customer-command.ts')).toBe(true);
    expect(modules.has('cli/start-command.ts')).toBe(true);
  });

  it('loads no application, database client, NLU, knowledge base or channel eagerly', () => {
    const heavy = [...modules].filter((m) => m === 'main.ts' || m === 'db/database-client.ts' || m === 'crm/index.ts' || /^(conversation|channels|jobs|http|crm\/seed|crm\/segments|crm\/import\/(?!import-report)|db\/generated)/.test(m));
    expect(heavy).toEqual([]);
  });

  it('loads no heavy package eagerly', () => {
    const heavy = [...packages].filter((p) => ['natural', '@node-rs/jieba', 'bullmq', 'ioredis', 'express', 'ws', '@prisma/client', '@prisma/adapter-pg', '@prisma/adapter-better-sqlite3', 'better-sqlite3', 'pg', 'opencc-js', 'wechaty', 'botbuilder', '@slack/bolt', 'echarts', '@resvg/resvg-js'].includes(p));
    expect(heavy).toEqual([]);
  });

  it("never imports natural's root (it takes over a second and runs dotenv): only its submodules", () => {
    const roots = sourceFiles(SRC).filter((f) => /from\s+['"]natural['"]|import\(\s*['"]natural['"]\s*\)|require\(\s*['"]natural['"]\s*\)/.test(readFileSync(f, 'utf8')));
    expect(roots.map((f) => relative(SRC, f))).toEqual([]);
  });
});
