import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { NluReviewItemView } from '../crm/index.js';
import type { Db } from '../db/database-client.js';
import { AppError } from '../shared/app-error.js';

export interface NluReviewCommandDeps {
  openDb: () => Promise<{ db: Db; close: () => Promise<void> }>;
  intentsDir: string;
  cacheDir: string;
  /** Test and dev sets whose lines must never become training lines (test/data/nlu in a checkout). */
  heldOutDir: string;
  print?: (line: string) => void;
  /** Answers of the interactive review, one per line (default stdin). */
  input?: Readable;
}

// Heavy modules (CRM, Prisma, NLU) load when the command runs, not at CLI start-up.
async function modules() {
  const [crm, loader, shop, classifier] = await Promise.all([
    import('../crm/index.js'), import('../conversation/nlu/intent-data-loader.js'), import('../conversation/nlu/shop-training-file.js'), import('../conversation/nlu/intent-classifier.js'),
  ]);
  return { ...crm, ...loader, ...shop, ...classifier };
}

type Mods = Awaited<ReturnType<typeof modules>>;

interface Session {
  review: ReturnType<Mods['createCrm']>['nluReview'];
  known: Set<string>;
  heldOut: Set<string>;
  actor: string;
  mods: Mods;
  deps: NluReviewCommandDeps;
}

const itemId = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new AppError('VALIDATION_FAILED', `not an item id: ${raw}`, { userMessage: `"${raw}" is not a review item id` });
  return n;
};

async function pendingItem(s: Session, id: number): Promise<NluReviewItemView> {
  const item = await s.review.get(id);
  if (!item) throw new AppError('NOT_FOUND', `no review item ${id}`, { userMessage: `No review item ${id}` });
  if (item.status !== 'pending') throw new AppError('CONFLICT', `review item ${id} is ${item.status}`, { userMessage: `Review item ${id} is already ${item.status}` });
  return item;
}

/**
 * Labels a pending item: its line goes into the shop's training file, then the item is marked
 * labelled. A line equal to a held-out test line is refused and the item dismissed instead.
 */
async function labelItem(s: Session, id: number, intent: string): Promise<string> {
  if (!s.known.has(intent)) throw new AppError('VALIDATION_FAILED', `unknown intent ${intent}`, { userMessage: `"${intent}" is not an intent (see the intent files in ${s.deps.intentsDir})` });
  const item = await pendingItem(s, id);
  const outcome = await s.mods.appendShopLine(s.deps.intentsDir, { text: item.text, intent }, s.heldOut);
  if (!outcome.added && outcome.reason === 'held_out') {
    await s.review.dismiss(id, s.actor);
    return `#${id} dismissed: the line equals a held-out test line, which must stay out of training`;
  }
  await s.review.label(id, intent, s.actor);
  return outcome.added ? `#${id} labelled ${intent}: added to ${outcome.file}` : `#${id} labelled ${intent} (the line was already in the shop's training file)`;
}

function describe(item: NluReviewItemView): string {
  const suggestion = item.suggestedIntent ? `, customer picked ${item.suggestedIntent}` : '';
  return `#${item.id} [${item.reason}] ${item.lang} guessed ${item.predictedIntent} ${item.confidence.toFixed(2)}${suggestion}: ${item.text}`;
}

async function withSession<T>(deps: NluReviewCommandDeps, actor: string | undefined, run: (s: Session) => Promise<T>): Promise<T> {
  const mods = await modules();
  const [data, heldOut] = await Promise.all([mods.loadIntentData(deps.intentsDir), mods.heldOutLines(deps.heldOutDir)]);
  const { db, close } = await deps.openDb();
  try {
    const review = mods.createCrm(db).nluReview;
    return await run({ review, known: new Set(data.intents.map((i) => i.intent)), heldOut, actor: actor ?? process.env.USER ?? 'cli', mods, deps });
  } finally {
    await close();
  }
}

/** Adds `nlu review` (interactive, or --list/--label/--dismiss) to the `nlu` command. */
export function registerNluReviewCommand(nlu: Command, deps: NluReviewCommandDeps): void {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  nlu
    .command('review')
    .description("Label messages the bot was unsure of, that customers corrected or that went to a person; labelled lines go into the shop's training file (shop/labelled.yml) and the running bot retrains")
    .option('--list', 'print the pending items and exit')
    .option('--json', 'with --list: one JSON array')
    .option('--label <id>', 'label one item: nlu review --label ID INTENT')
    .option('--dismiss <id>', 'dismiss one item (not worth a training line)')
    .option('--by <name>', 'who is labelling (default $USER)')
    .option('--limit <n>', 'at most this many items', '100')
    .argument('[intent]', 'the intent for --label ID INTENT')
    .action(async (intentArg: string | undefined, o: { list?: boolean; json?: boolean; label?: string; dismiss?: string; by?: string; limit: string }) => {
      const limit = Math.max(1, Math.min(1000, Number(o.limit) || 100));
      await withSession(deps, o.by, async (s) => {
        if (o.label !== undefined) {
          if (!intentArg) throw new AppError('VALIDATION_FAILED', 'nlu review --label needs an intent', { userMessage: 'usage: nlu review --label ID INTENT' });
          print(await labelItem(s, itemId(o.label), intentArg));
        } else if (o.dismiss !== undefined) {
          const id = itemId(o.dismiss);
          await pendingItem(s, id);
          await s.review.dismiss(id, s.actor);
          print(`#${id} dismissed`);
        } else if (o.list) {
          const items = await s.review.list({ limit });
          if (o.json) print(JSON.stringify(items));
          else print(items.length ? items.map(describe).join('\n') : 'nothing to review');
        } else {
          await interactive(s, limit, print, deps.input ?? process.stdin);
        }
      });
    });
}

async function interactive(s: Session, limit: number, print: (line: string) => void, input: Readable): Promise<void> {
  const items = await s.review.list({ limit });
  if (!items.length) {
    print('nothing to review');
    return;
  }
  const { classifier } = await s.mods.loadOrTrainClassifier({ intentsDir: s.deps.intentsDir, cacheDir: s.deps.cacheDir });
  const answers = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let labelled = 0;
  let dismissed = 0;
  for (const [n, item] of items.entries()) {
    const guesses = [...new Set([...(item.suggestedIntent ? [item.suggestedIntent] : []), ...classifier.predict(item.text).ranking.slice(0, 4).map((r) => r.intent)])].slice(0, 4);
    print(`\n(${n + 1}/${items.length}) ${describe(item)}`);
    print(guesses.map((g, i) => `  ${i + 1}) ${g}`).join('\n'));
    print('  number or intent name to label, d dismiss, s skip, q quit');
    for (;;) {
      const next = await answers.next();
      const answer = next.done ? 'q' : String(next.value).trim();
      if (answer === 'q') {
        print(`labelled ${labelled}, dismissed ${dismissed}`);
        return;
      }
      if (answer === 's' || answer === '') break;
      if (answer === 'd') {
        await s.review.dismiss(item.id, s.actor);
        dismissed++;
        print(`#${item.id} dismissed`);
        break;
      }
      const intent = /^\d$/.test(answer) ? guesses[Number(answer) - 1] : answer;
      if (!intent || !s.known.has(intent)) {
        print(`  "${answer}" is neither a listed number nor an intent; try again`);
        continue;
      }
      const line = await labelItem(s, item.id, intent);
      if (line.includes('labelled')) labelled++;
      else dismissed++;
      print(line);
      break;
    }
  }
  print(`labelled ${labelled}, dismissed ${dismissed}`);
}
