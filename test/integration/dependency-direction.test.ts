import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'generated' || name === 'public' || name === '__fixtures__') return [];
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Relative imports of every source file, as paths under src/. */
function imports(): { from: string; to: string }[] {
  return files(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
    return specs.map((s) => ({ from: relative(SRC, file), to: relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts') }));
  });
}

const all = imports();
const violations = (rule: (i: { from: string; to: string }) => boolean) => all.filter(rule).map((i) => `${i.from} → ${i.to}`);

describe('dependency direction (house style §2)', () => {
  it('reads the import graph', () => {
    expect(all.length).toBeGreaterThan(100);
  });
  it('keeps channels/ free of everything but shared/', () => {
    expect(violations((i) => i.from.startsWith('channels/') && !i.to.startsWith('channels/') && !i.to.startsWith('shared/'))).toEqual([]);
  });
  it('lets conversation/ reach the CRM only through crm/index.ts', () => {
    expect(violations((i) => i.from.startsWith('conversation/') && i.to.startsWith('crm/') && i.to !== 'crm/index.ts')).toEqual([]);
  });
  it('keeps crm/ on the database layer: no channels, conversation, jobs or http', () => {
    expect(violations((i) => i.from.startsWith('crm/') && /^(channels|conversation|jobs|http|cli)\//.test(i.to))).toEqual([]);
  });
  it('lets nothing but the CLI import the composition root', () => {
    expect(violations((i) => i.to === 'main.ts' && !i.from.startsWith('cli/'))).toEqual([]);
  });
  it('keeps media/ and otp/ on shared/ only (channels use them through shared/ interfaces)', () => {
    expect(violations((i) => /^(media|otp)\//.test(i.from) && !/^(media|otp|shared)\//.test(i.to))).toEqual([]);
    expect(violations((i) => i.from.startsWith('media/') && i.to.startsWith('otp/'))).toEqual([]);
  });
  it('lets desk/ reach the CRM only through crm/index.ts, and never the engine or a channel', () => {
    expect(violations((i) => i.from.startsWith('desk/') && !/^(desk|shared|jobs)\//.test(i.to) && i.to !== 'crm/index.ts')).toEqual([]);
  });
  it('keeps the engine and the channels out of desk/', () => {
    expect(violations((i) => /^(conversation|channels|crm)\//.test(i.from) && i.to.startsWith('desk/'))).toEqual([]);
  });
  it('keeps shared/ dependent on nothing of ours', () => {
    expect(violations((i) => i.from.startsWith('shared/') && !i.to.startsWith('shared/'))).toEqual([]);
  });
});
