import type { Command } from 'commander';
import { z } from 'zod';
import type { Db } from '../db/database-client.js';
import { LIFECYCLE_STAGES, RFM_SEGMENTS, type RfmSegment } from '../crm/crm-constants.js';
import { AppError } from '../shared/app-error.js';

export interface CliDbDeps {
  openDb: () => Promise<{ db: Db; close: () => Promise<void> }>;
  /** The shop's IANA zone (SHOP_TIMEZONE). */
  timeZone: string;
  /** Where output goes; console.log by default. */
  print?: (text: string) => void;
}

/** `--now` for reproducible runs; defaults to the current instant. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const parsed = z.iso.datetime({ offset: true }).safeParse(value);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `--now must be an ISO-8601 instant, got ${value}`, { userMessage: `--now must be an ISO-8601 instant such as 2025-06-30T12:00:00+08:00 (got ${value})` });
  return new Date(parsed.data);
}

/** Adds `segments recompute`: full RFM + lifecycle run, then the stored counts. */
export function registerSegmentsCommand(program: Command, deps: CliDbDeps): void {
  const print = deps.print ?? ((text: string) => console.log(text));
  const segments = program.command('segments').description('customer segments: RFM scores and lifecycle stages');
  segments.command('recompute')
    .description('re-score every customer (RFM quintiles, lifecycle stage) and print the counts')
    .option('--now <instant>', 'compute as of this ISO-8601 instant (default: now)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { now?: string; json?: boolean }) => {
      const now = parseNow(opts.now);
      const { db, close } = await deps.openDb();
      try {
        const { recomputeSegments, segmentCounts } = await import('../crm/segments/index.js');
        const run = await recomputeSegments(db, { now, timeZone: deps.timeZone });
        const counts = await segmentCounts(db);
        if (opts.json) {
          print(JSON.stringify({ scored: run.rfm.customers, updated: run.rfm.updated + run.lifecycle.updated, thresholds: run.rfm.thresholds, ...counts }, null, 2));
          return;
        }
        const lines = [`${run.rfm.customers} customers scored as of ${now.toISOString()} (${deps.timeZone})`, '', 'RFM segments:'];
        for (const key of Object.keys(RFM_SEGMENTS) as RfmSegment[]) {
          lines.push(`  ${key.padEnd(20)} ${String(counts.rfm[key]).padStart(7)}  ${RFM_SEGMENTS[key].zh} / ${RFM_SEGMENTS[key].en}`);
        }
        lines.push(`  ${'unscored'.padEnd(20)} ${String(counts.rfm.unscored).padStart(7)}`, '', 'Lifecycle stages:');
        for (const stage of LIFECYCLE_STAGES) lines.push(`  ${stage.padEnd(20)} ${String(counts.lifecycle[stage]).padStart(7)}`);
        print(lines.join('\n'));
      } finally {
        await close();
      }
    });
}
