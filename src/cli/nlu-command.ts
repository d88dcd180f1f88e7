import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Entities } from '../conversation/nlu/entity-extractor.js';
import { AppError } from '../shared/app-error.js';

/** The NLU modules load segmentation dictionaries: only the nlu commands import them, when run. */
async function nluModules() {
  const [entities, classifier, evaluator] = await Promise.all([
    import('../conversation/nlu/entity-extractor.js'), import('../conversation/nlu/intent-classifier.js'), import('../conversation/nlu/nlu-evaluator.js'),
  ]);
  return { ...entities, ...classifier, ...evaluator };
}

export interface NluCommandDeps {
  intentsDir: string;
  cacheDir: string;
  orderNumberPattern: string;
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function entitySummary(e: Entities): string {
  const parts: string[] = [];
  if (e.orderNumbers.length) parts.push(`orders=${e.orderNumbers.join(',')}`);
  if (e.phones.length) parts.push(`phones=${e.phones.join(',')}`);
  if (e.emails.length) parts.push(`emails=${e.emails.join(',')}`);
  if (e.amounts.length) parts.push(`amounts=${e.amounts.map((a) => `${a.value}${a.currency ? ` ${a.currency}` : ''}`).join(',')}`);
  if (e.dates.length) parts.push(`dates=${e.dates.map((d) => d.iso).join(',')}`);
  if (e.products.length) parts.push(`products=${e.products.map((p) => p.sku).join(',')}`);
  if (e.phoneLast4) parts.push(`phoneLast4=${e.phoneLast4}`);
  return parts.join(' ');
}

/** Adds `nlu train`, `nlu eval`, `nlu bench` and `nlu predict` to the shopdesk CLI; returns the `nlu` command (nlu-review-command.ts adds `review`). */
export function registerNluCommands(program: Command, deps: NluCommandDeps): Command {
  const nlu = program.command('nlu').description('Train, evaluate and try the intent classifier');

  nlu
    .command('train')
    .description(`Train the intent model from ${deps.intentsDir} and cache it in ${deps.cacheDir}`)
    .option('--force', 'retrain even if a cached model for these intent files exists')
    .action(async (o: { force?: boolean }) => {
      const started = performance.now();
      const { loadOrTrainClassifier } = await nluModules();
      const { classifier, trainedNow, hash } = await loadOrTrainClassifier({ ...deps, force: o.force });
      print(`${trainedNow ? 'trained' : 'cached'} model ${hash}: ${classifier.intents.length} intents, ` +
        `threshold ${classifier.threshold}, temperature ${classifier.temperature} (${Math.round(performance.now() - started)} ms)`);
    });

  nlu
    .command('eval')
    .description('Score a model on a labelled file (CSV with header text,intent, or JSONL): accuracy, per-intent precision/recall, off-topic false-accept rate, calibration error, confusion table')
    .option('--set <file>', 'labelled rows to evaluate on')
    .option('--test <file>', 'the same as --set')
    .option('--train <file>', 'train on this labelled file instead of the shop intent YAML')
    .option('--json', 'print the report as JSON')
    .action(async (o: { set?: string; test?: string; train?: string; json?: boolean }) => {
      const file = o.set ?? o.test;
      if (!file) throw new AppError('VALIDATION_FAILED', 'nlu eval needs --set <file>', { userMessage: 'nlu eval needs --set <file> (a CSV with header text,intent, or JSONL)' });
      const { IntentClassifier, loadOrTrainClassifier, readLabelledFile, evaluate, formatReport } = await nluModules();
      const classifier = o.train
        ? IntentClassifier.train(readLabelledFile(o.train))
        : (await loadOrTrainClassifier(deps)).classifier;
      const report = evaluate(classifier, readLabelledFile(file));
      print(o.json ? JSON.stringify(report, null, 2) : formatReport(report));
    });

  nlu
    .command('bench')
    .description('Measure predict latency (p50/p99) on the messages of a labelled file, after warm-up')
    .requiredOption('--file <file>', 'labelled rows (CSV or JSONL) whose texts are classified')
    .option('--rounds <n>', 'passes over the file', '20')
    .action(async (o: { file: string; rounds: string }) => {
      const { loadOrTrainClassifier, readLabelledFile } = await nluModules();
      const { classifier } = await loadOrTrainClassifier(deps);
      const texts = readLabelledFile(o.file).map((r) => r.text);
      for (const t of texts) classifier.predict(t);
      const times: number[] = [];
      for (let round = 0; round < Math.max(1, Number(o.rounds) || 1); round++) {
        for (const t of texts) {
          const started = performance.now();
          classifier.predict(t);
          times.push(performance.now() - started);
        }
      }
      times.sort((a, b) => a - b);
      const at = (q: number): string => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
      print(`${times.length} predictions: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
    });

  nlu
    .command('predict')
    .description('Classify messages read from stdin, one per line')
    .option('--json', 'print one JSON object per line')
    .action(async (o: { json?: boolean }) => {
      const { loadOrTrainClassifier, extractEntities } = await nluModules();
      const { classifier } = await loadOrTrainClassifier(deps);
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const p = classifier.predict(line);
        const entities = extractEntities(line, { orderNumberPattern: deps.orderNumberPattern });
        if (o.json) {
          const sub = p.subIntent ? { subIntent: p.subIntent, subConfidence: p.subConfidence } : {};
          print(JSON.stringify({ text: line, intent: p.intent, confidence: p.confidence, ...sub, outOfScope: p.outOfScope, language: p.language, ranking: p.ranking.slice(0, 3), entities }));
        } else {
          print(`${p.intent}${p.subIntent ? `/${p.subIntent}` : ''}\t${p.confidence.toFixed(2)}\t${entitySummary(entities)}\t${line}`);
        }
      }
    });
  return nlu;
}
