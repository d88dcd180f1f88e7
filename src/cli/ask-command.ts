import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { AppError } from '../shared/app-error.js';
import { sanitiseText } from '../shared/text-sanitiser.js';
import type { CliDbDeps } from './import-command.js';
import { parseNow } from './segments-command.js';

export interface AskCommandDeps extends Pick<CliDbDeps, 'openDb'> {
  config: () => Pick<Config, 'shop' | 'assistant'>;
  print?: (text: string) => void;
}

/**
 * `shopdesk ask [--as STAFF] [--json] [--now ISO] "question"`: the managers' assistant in the
 * terminal, as a built-in manager ("terminal") unless --as names a staff member, whose role then
 * decides what is shown. A chart is written as a PNG file and its path printed.
 */
export function registerAskCommand(program: Command, deps: AskCommandDeps): void {
  const print = deps.print ?? ((text: string) => console.log(text));
  program.command('ask')
    .description('ask the shop a question: figures, rankings, customers, orders (zh/en) — e.g. shopdesk ask "上周销售额多少"')
    .argument('<question...>', 'the question, e.g. "revenue last week vs the week before"')
    .option('--as <staff>', 'ask as this staff member (sign-in name or id): their role decides what is shown')
    .option('--json', 'print {"understood","query","text","result"} (+ "chartPath") as JSON')
    .option('--now <instant>', 'treat this ISO-8601 instant as now, for reproducible answers')
    .option('--chart-dir <dir>', 'where chart images go (default: a shopdesk-charts folder in the temp directory)')
    .option('--no-chart', 'never render a chart')
    .action(async (words: string[], opts: { as?: string; json?: boolean; now?: string; chartDir?: string; chart: boolean }) => {
      const now = parseNow(opts.now);
      const question = words.join(' ');
      const handle = await deps.openDb();
      try {
        const [{ createCrm }, { createAssistant }, { TERMINAL_PRINCIPAL }] = await Promise.all([
          import('../crm/index.js'), import('../assistant/assistant-module.js'), import('../assistant/ask-service.js'),
        ]);
        const crm = createCrm(handle.db);
        let staff = TERMINAL_PRINCIPAL;
        if (opts.as) {
          const s = await crm.staff.require(opts.as);
          if (!s.active) throw new AppError('FORBIDDEN', `staff member ${s.name} is deactivated`, { userMessage: `${s.name} is deactivated and cannot ask.` });
          staff = { id: s.id, name: s.loginName ?? s.name, role: s.role as typeof staff.role };
        }
        const answer = await createAssistant(crm, deps.config()).ask(question, { staff, channel: 'cli', now, chart: opts.chart });
        let chartPath: string | undefined;
        if (answer.chart) {
          const dir = resolve(opts.chartDir ?? join(tmpdir(), 'shopdesk-charts'));
          mkdirSync(dir, { recursive: true });
          chartPath = join(dir, `ask-${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.png`);
          writeFileSync(chartPath, answer.chart.png);
        }
        if (opts.json) {
          print(JSON.stringify({ understood: answer.understood, query: answer.query, text: answer.text, result: answer.result, ...(chartPath ? { chartPath } : {}) }, null, 2));
          return;
        }
        // names and order notes come from the database: nothing in them may drive the terminal
        print(sanitiseText(answer.text));
        if (chartPath) print(`\nchart: ${chartPath}`);
      } finally {
        await handle.close();
      }
    });
}
