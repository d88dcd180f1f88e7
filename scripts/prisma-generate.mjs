#!/usr/bin/env node
// Builds the two provider schemas from prisma/models.prisma and generates both Prisma clients.
// Runs on `npm install` (postinstall) and by `npm run db:schema` after editing the model.
// PRISMA_SCHEMA_ENGINE_BINARY points at an existing file so the CLI never tries to download its
// native engine (unavailable offline, and not needed for `generate`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROVIDERS = { sqlite: 'sqlite', postgres: 'postgresql' };

export function providerSchema(name, models) {
  return `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs — do not edit.
generator client {
  provider            = "prisma-client"
  output              = "../../src/db/generated/${name}"
  moduleFormat        = "esm"
  importFileExtension = "js"
  runtime             = "nodejs"
}

datasource db {
  provider = "${PROVIDERS[name]}"
}

${models}`;
}

function main() {
  const models = readFileSync(join(root, 'prisma/models.prisma'), 'utf8');
  const prismaBin = join(root, 'node_modules/prisma/build/index.js');
  if (!existsSync(prismaBin)) {
    console.error('prisma CLI not installed yet; skipping client generation');
    return;
  }
  for (const name of Object.keys(PROVIDERS)) {
    const file = join(root, 'prisma', name, 'schema.prisma');
    mkdirSync(dirname(file), { recursive: true });
    const text = providerSchema(name, models);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
    execFileSync(process.execPath, [prismaBin, 'generate', '--schema', file], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
