/**
 * Builds the managers' assistant for the composition root, the CLI and the staff endpoint: the
 * real question parser (./ask-parser.ts) wired into the service with the shop's settings.
 */
import type { Config } from '../config/config.js';
import type { AssistantCrm } from './ask-metric-runner.js';
import { parseQuestion } from './ask-parser.js';
import { AskService } from './ask-service.js';
import { logger } from '../shared/logger.js';

const log = logger('assistant');

export function createAssistant(crm: AssistantCrm, config: Pick<Config, 'shop' | 'assistant'>, opts: { clock?: () => Date; warmUpCharts?: boolean } = {}): AskService {
  // a server loads the chart libraries and font in the background, so the first chart is not slow
  if (opts.warmUpCharts) void import('./ask-chart.js').then((m) => m.warmUpCharts(config.assistant.chartFont)).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'chart warm-up failed; charts load on first use'));
  return new AskService({
    crm, parse: parseQuestion, timeZone: config.shop.timeZone, currency: config.shop.currency, defaultLang: config.shop.defaultLocale,
    access: { agentSeesFigures: config.assistant.agentSeesFigures }, dormantDays: config.assistant.dormantDays, chartFont: config.assistant.chartFont, clock: opts.clock,
  });
}
