import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prisma as SqlitePrisma } from '../../src/db/generated/sqlite/client.js';
import { Prisma as PostgresPrisma } from '../../src/db/generated/postgres/client.js';
import { migrationsDir, PROJECT_ROOT, schemaFile } from '../../src/db/migrator.js';
// @ts-expect-error plain ESM script without types
import { providerSchema } from '../../scripts/prisma-generate.mjs';

const models = readFileSync(join(PROJECT_ROOT, 'prisma/models.prisma'), 'utf8');

function fieldEnums(ns: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ns).filter(([k]) => k.endsWith('ScalarFieldEnum')).sort(([a], [b]) => a.localeCompare(b)));
}

describe('one model, two providers', () => {
  it('generates both provider schemas from prisma/models.prisma (run `npm run db:schema` after editing it)', () => {
    for (const p of ['sqlite', 'postgres'] as const) expect(readFileSync(schemaFile(p), 'utf8')).toBe(providerSchema(p, models));
  });

  it('gives the SQLite and PostgreSQL clients the same models and fields', () => {
    expect(Object.keys(SqlitePrisma.ModelName).sort()).toEqual(Object.keys(PostgresPrisma.ModelName).sort());
    expect(fieldEnums(SqlitePrisma as unknown as Record<string, unknown>)).toEqual(fieldEnums(PostgresPrisma as unknown as Record<string, unknown>));
    expect(Object.keys(fieldEnums(SqlitePrisma as unknown as Record<string, unknown>)).length).toBeGreaterThan(15);
  });

  it('has a migration for every schema change on both providers (run `npm run db:migration -- <name>`)', () => {
    for (const p of ['sqlite', 'postgres'] as const) {
      expect(readFileSync(join(migrationsDir(p), 'schema.snapshot.prisma'), 'utf8'), `${p} migrations are behind the model`).toBe(readFileSync(schemaFile(p), 'utf8'));
    }
  });
});
