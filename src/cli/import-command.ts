import { Argument, type Command } from 'commander';
import type { Db } from '../db/database-client.js';
import { isAppError } from '../shared/app-error.js';
import { IMPORT_KINDS, type ImportKind, type ImportReport } from '../crm/import/import-report.js';

export interface CliDbDeps {
  openDb: () => Promise<{ db: Db; close(): Promise<void> }>;
}

/** `\r[#####     ] 52% 5200/10000` on stderr, only when it is a terminal (never in logs or pipes). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; end(): void } {
  let drawn = false;
  return {
    update(done, total) {
      if (!stream.isTTY || total <= 0) return;
      const share = Math.min(1, done / total);
      const filled = Math.round(share * 30);
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(30 - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done}/${total}`);
      drawn = true;
    },
    end() { if (drawn) stream.write('\n'); drawn = false; },
  };
}

/** Prints an error as one line: AppErrors by their (user) message, anything else by its message — never a stack trace. */
export function printError(prefix: string, err: unknown): void {
  const message = isAppError(err) ? (err.userMessage ?? err.message) : err instanceof Error ? err.message : String(err);
  process.stderr.write(`${prefix}: ${message}\n`);
}

export function formatImportReport(report: ImportReport, file: string): string {
  const rejected = report.total - report.imported - report.unchanged;
  const lines = [`Imported ${report.kind} from ${file}: ${report.imported} imported, ${report.unchanged} unchanged, ${rejected} rejected (of ${report.total}).`];
  for (const f of report.failed) lines.push(`line ${f.line}: ${f.reason}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `shopdesk import customers|products|orders FILE.csv`. Exit code 0 when every row went in (or
 * was unchanged), 1 when some rows failed or the database failed, 2 when the file cannot be read
 * (missing, not UTF-8, bad header).
 */
export function registerImportCommand(
  program: Command,
  deps: CliDbDeps & {
    importOptions?: { timeZone?: string; orderNumberPattern?: string };
    /** Runs after a successful import (the CLI recomputes segments when orders changed). */
    afterImport?: (db: Awaited<ReturnType<CliDbDeps['openDb']>>['db'], kind: ImportKind, report: ImportReport) => Promise<void>;
  },
): Command {
  return program
    .command('import')
    .description('Import customers, products or orders from a UTF-8 CSV file (formats: README, "CSV import")')
    .addArgument(new Argument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'path to the .csv file')
    .action(async (kind: ImportKind, file: string) => {
      const bar = progressBar();
      let handle: Awaited<ReturnType<CliDbDeps['openDb']>> | undefined;
      try {
        handle = await deps.openDb();
        const { importCsv } = await import('../crm/import/index.js');
        const report = await importCsv(handle.db, kind, file, { ...deps.importOptions, onProgress: (d, t) => bar.update(d, t) });
        bar.end();
        process.stdout.write(formatImportReport(report, file));
        await deps.afterImport?.(handle.db, kind, report);
        process.exitCode = report.failed.length > 0 ? 1 : 0;
      } catch (err) {
        bar.end();
        printError('Import failed', err);
        process.exitCode = isAppError(err) && err.details?.fileError === true ? 2 : 1;
      } finally {
        await handle?.close().catch(() => undefined);
      }
    });
}
