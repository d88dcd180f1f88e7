import path from 'node:path';
import type { Command } from 'commander';
import type { RetrievalReport } from '../conversation/knowledge/kb-evaluator.js';

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function printReport(file: string, r: RetrievalReport, showMisses: boolean): void {
  console.log(`${file}: ${r.count} questions  top-1 ${pct(r.top1)}  top-3 ${pct(r.top3)}  MRR ${r.mrr.toFixed(3)}`);
  if (!showMisses) return;
  for (const m of r.misses) {
    console.log(`  miss: "${m.question}" expected ${m.expected}, rank ${m.rank ?? '-'}, got ${m.got.join(', ')}`);
  }
}

/**
 * Adds `kb check`, `kb eval` and `kb tune` to the shopdesk CLI. `kbDir` is the knowledge-base
 * folder (articles under `faq/`, synonyms in `synonyms.yml`).
 */
export function registerKbCommands(program: Command, deps: { kbDir: string }): void {
  const kb = program.command('kb').description('FAQ knowledge base: validate articles and measure retrieval');

  kb.command('check')
    .description('validate every article (front matter, ids, translations, intents) and report near-duplicates; exits 1 on errors')
    .option('--dir <dir>', 'knowledge-base folder', deps.kbDir)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { dir: string; json?: boolean }) => {
      const { checkKnowledgeBase } = await import('../conversation/knowledge/kb-checker.js');
      const report = await checkKnowledgeBase(opts.dir);
      if (opts.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(`${report.articleCount} articles: ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.nearDuplicates.length} near-duplicate pairs`);
        for (const e of report.errors) console.log(`error   ${e.file}: ${e.message}`);
        for (const w of report.warnings) console.log(`warning ${w.file}: ${w.message}`);
        for (const d of report.nearDuplicates) console.log(`similar ${d.a} ~ ${d.b} (${d.similarity})`);
      }
      if (report.errors.length > 0) process.exitCode = 1;
    });

  kb.command('eval')
    .description('measure top-1 / top-3 / MRR on labelled questions (CSV question,article_id or JSONL)')
    .requiredOption('--test <file...>', 'labelled question file(s)')
    .option('--dir <dir>', 'knowledge-base folder', deps.kbDir)
    .option('--lang <lang>', 'search only this language (zh|en); default: detect per question')
    .option('--misses', 'list the questions not ranked first')
    .option('--json', 'print the reports as JSON')
    .action(async (opts: { test: string[]; dir: string; lang?: string; misses?: boolean; json?: boolean }) => {
      const lang = opts.lang === 'zh' || opts.lang === 'en' ? opts.lang : undefined;
      const [{ KnowledgeRetriever }, { evaluateRetrieval, readEvalRows }] = await Promise.all([import('../conversation/knowledge/kb-retriever.js'), import('../conversation/knowledge/kb-evaluator.js')]);
      const retriever = await KnowledgeRetriever.load(opts.dir);
      const reports: Record<string, RetrievalReport> = {};
      for (const file of opts.test) reports[path.basename(file)] = evaluateRetrieval(retriever, await readEvalRows(file), { lang });
      if (opts.json) console.log(JSON.stringify(reports, null, 2));
      else for (const [file, r] of Object.entries(reports)) printReport(file, r, opts.misses ?? false);
    });

  kb.command('tune')
    .description('leave-one-question-out accuracy on the front-matter questions, and the fitted confidence model and thresholds')
    .option('--dir <dir>', 'knowledge-base folder', deps.kbDir)
    .action(async (opts: { dir: string }) => {
      // finds synonyms.yml the way the live retriever does, so tuning sees what serving sees
      const { tuneKnowledgeBase } = await import('../conversation/knowledge/kb-threshold-tuner.js');
      console.log(JSON.stringify(await tuneKnowledgeBase(opts.dir), null, 2));
    });
}
