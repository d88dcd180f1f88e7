import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../shared/app-error.js';

/**
 * Prisma's own schema engine, run as WebAssembly through a driver adapter: the native engine
 * cannot be downloaded here and nothing in shopdesk may depend on a download. The wasm module is
 * a devDependency-free runtime piece, so it lives in `dependencies`.
 */
type AdapterFactory = object;
export interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string }>;
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free?: () => void;
}

interface EngineModule {
  __wbg_set_wasm(exports: unknown): void;
  SchemaEngine: { new: (opts: unknown, cb: (...args: unknown[]) => void, adapter: object) => Promise<WasmSchemaEngine> };
}

let modulePromise: Promise<EngineModule> | undefined;

async function loadEngineModule(): Promise<EngineModule> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@prisma/schema-engine-wasm');
  const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as EngineModule & Record<string, unknown>;
  const wasm = readFileSync(entry.replace(/schema_engine\.js$/, 'schema_engine_bg.wasm'));
  // Node 20 cannot import .wasm as ESM: instantiate by hand.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { './schema_engine_bg.js': bg as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg;
}

export async function createSchemaEngine(schema: string, adapterFactory: AdapterFactory): Promise<WasmSchemaEngine> {
  modulePromise ??= loadEngineModule();
  const bg = await modulePromise;
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  try {
    return await bg.SchemaEngine.new(
      { datamodels: [['schema.prisma', schema]] },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(adapterFactory as Parameters<typeof bindMigrationAwareSqlAdapterFactory>[0]),
    );
  } catch (err) {
    throw new AppError('MIGRATION_FAILED', `Cannot start Prisma's schema engine: ${describe(err)}`, { cause: err });
  }
}

/** Engine errors arrive as plain objects or JSON strings; turn them into one readable line. */
export function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    const o = err as { message?: string; error?: string };
    return o.message ?? o.error ?? JSON.stringify(err);
  } catch {
    return String(err);
  }
}

export const EMPTY_FILTERS = { externalTables: [], externalEnums: [] };
