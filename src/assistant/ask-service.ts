import type { StaffRole } from '../crm/crm-constants.js';
import { isAppError } from '../shared/app-error.js';
import { logger } from '../shared/logger.js';
import { auditableQuery, maskResult, mayRun, type AccessPolicy } from './ask-access.js';
import { chartSpecFor, renderChartPng } from './ask-chart.js';
import { executeQuery } from './ask-executor.js';
import type { AssistantCrm } from './ask-metric-runner.js';
import { askQuerySchema, type AskAnswer, type AskQuery } from './ask-query.js';
import type { AskResult } from './ask-result.js';
import { describeMetric, renderAnswer, shownGroup, type AskReading, type RenderContext } from './ask-renderer.js';

/**
 * The managers' assistant: a question → the parser's typed query → the executor (read-only,
 * through the CRM facade) → the text answer and, for trends and breakdowns, a chart. Roles
 * decide what runs and what is masked; every question goes to the audit log with the query it
 * ran and who asked. Nothing else is ever written.
 */
const log = logger('assistant');

export interface AskStaff {
  /** StaffMember id; 0 for the built-in terminal principal. */
  id: number;
  name: string;
  role: StaffRole;
}

/** `shopdesk ask` without --as: a manager at the shop's own terminal. */
export const TERMINAL_PRINCIPAL: AskStaff = { id: 0, name: 'terminal', role: 'manager' };

export type ParseQuestion = (text: string, opts: { now: Date; timeZone: string }) => { query: AskQuery; reading: AskReading };

export interface AskServiceDeps {
  crm: AssistantCrm;
  /** The question parser (src/assistant/ask-parser.ts in production). */
  parse: ParseQuestion;
  timeZone: string;
  currency: string;
  access: AccessPolicy;
  /** Days without an order after which a customer counts as dormant (default 90). */
  dormantDays?: number;
  /** Default language when a question has no letters to tell (the shop's default locale). */
  defaultLang?: 'zh' | 'en';
  clock?: () => Date;
  /** Extra CJK font path to try first (ASK_CHART_FONT). */
  chartFont?: string;
}

export interface AskOptions {
  staff: AskStaff;
  /** Where the question came from (cli, rest, desk, slack, …), for the audit log. */
  channel: string;
  now?: Date;
  /** Render a chart PNG for trends and breakdowns (default true). */
  chart?: boolean;
}

/** Longest question read; anything longer is answered with a short refusal, unparsed. */
export const MAX_QUESTION_CHARS = 500;

export class AskService {
  constructor(private readonly deps: AskServiceDeps) {}

  async ask(question: string, opts: AskOptions): Promise<AskAnswer> {
    const now = opts.now ?? this.deps.clock?.() ?? new Date();
    const { timeZone } = this.deps;
    // eslint-disable-next-line no-control-regex
    const text = String(question ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim();
    const { query, reading } = this.read(text, now);
    let result: AskResult | undefined;
    let outcome = 'error';
    try {
      result = await this.run(query, opts.staff, now, text.length > MAX_QUESTION_CHARS);
      outcome = result.type === 'notice' ? result.notice : result.type === 'lookup' ? result.status : result.empty ? 'no_data' : 'answered';
    } finally {
      await this.deps.crm.audit({
        actor: opts.staff.id > 0 ? `staff:${opts.staff.id}` : `cli:${opts.staff.name}`,
        action: 'assistant.ask',
        entity: 'AskQuery',
        entityId: query.kind === 'metric' ? query.metric : query.kind === 'lookup' ? query.lookup : query.reason,
        detail: { query: auditableQuery(query), role: opts.staff.role, channel: opts.channel, outcome, questionChars: text.length, ...customerIdsOf(result) },
      });
    }
    const ctx: RenderContext = { reading, timeZone, currentYear: Number(localYear(now, timeZone)) };
    const shown = maskResult(result as AskResult, opts.staff.role);
    const answer: AskAnswer = { understood: query.kind !== 'unsupported', query, text: tooLong(text) ? tooLongText(reading.lang) : renderAnswer(query, shown, ctx), result: shown };
    if (opts.chart !== false && shown.type === 'metric' && query.kind === 'metric') {
      const title = describeMetric(query, shown.span, ctx, shownGroup(query, shown));
      const spec = chartSpecFor(shown, title, reading.lang, ctx.currentYear);
      const png = spec ? await renderChartPng(spec, { fontFile: this.deps.chartFont }) : undefined;
      if (png) answer.chart = { png, title };
    }
    return answer;
  }

  private read(text: string, now: Date): { query: AskQuery; reading: AskReading } {
    const lang = /[\u3400-\u9fff]/.test(text) ? 'zh' : /[a-z]/i.test(text) ? 'en' : (this.deps.defaultLang ?? 'zh');
    const fallback = (reason: 'empty' | 'not_understood') => ({ query: { kind: 'unsupported' as const, reason }, reading: { lang, periodLabel: null, compareLabel: null } as AskReading });
    if (!text) return fallback('empty');
    if (tooLong(text)) return fallback('not_understood');
    const parsed = this.deps.parse(text, { now, timeZone: this.deps.timeZone });
    // the parser is an edge like any other: its output is checked before anything runs on it
    const checked = askQuerySchema.safeParse(parsed.query);
    if (!checked.success) {
      log.warn({ issues: checked.error.issues.slice(0, 3).map((i) => i.path.join('.')) }, 'parser returned an invalid query; answered as not understood');
      return { ...fallback('not_understood'), reading: { ...parsed.reading } };
    }
    return { query: checked.data, reading: parsed.reading };
  }

  private async run(query: AskQuery, staff: AskStaff, now: Date, longText: boolean): Promise<AskResult> {
    if (longText) return { type: 'notice', notice: 'not_understood', detail: 'too_long' };
    if (!mayRun(staff.role, query, this.deps.access)) return { type: 'notice', notice: 'not_allowed' };
    try {
      return await executeQuery(query, { crm: this.deps.crm, now, timeZone: this.deps.timeZone, currency: this.deps.currency, dormantDays: this.deps.dormantDays ?? 90 });
    } catch (err) {
      // a range or value the CRM refuses (a span over ten years, a malformed date) is an answer, not a failure
      if (isAppError(err) && err.code === 'VALIDATION_FAILED') return { type: 'notice', notice: 'not_understood', detail: err.userMessage ?? 'invalid' };
      throw err;
    }
  }
}

function tooLong(text: string): boolean {
  return text.length > MAX_QUESTION_CHARS;
}

function tooLongText(lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `问题太长了（最多 ${MAX_QUESTION_CHARS} 个字），请简短地问一个问题，例如“上周销售额多少”。` : `That question is too long (at most ${MAX_QUESTION_CHARS} characters). Ask one short question, e.g. "revenue last week".`;
}

function localYear(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(now);
}

/** Which customers a lookup showed (ids only), so the audit log tells whose data was seen. */
function customerIdsOf(result: AskResult | undefined): { customerIds?: number[] } {
  if (!result || result.type !== 'lookup') return {};
  const ids = [result.customer?.id, result.order?.customer.id, ...(result.matches ?? []).map((m) => m.id)].filter((x): x is number => typeof x === 'number');
  return ids.length ? { customerIds: [...new Set(ids)] } : {};
}
