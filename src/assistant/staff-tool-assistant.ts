import type { StaffRole } from '../crm/crm-constants.js';
import type { AssistantAnswer, AssistantPort } from '../shared/assistant-port.js';
import { logger } from '../shared/logger.js';
import type { AssistantCrm } from './ask-metric-runner.js';
import type { AskService } from './ask-service.js';

/**
 * The assistant behind the staff tools' seam (src/shared/assistant-port.ts: Slack, Teams): the
 * tool says who asked on its side; that id must be linked to an active staff member (`shopdesk
 * staff link NAME slack U…`), whose role then decides what is shown. Refusals are answers.
 */
const log = logger('assistant.tools');

const UNKNOWN = "I don't know who you are on this shopdesk yet: an admin can link you with `npx shopdesk staff link NAME <tool> <your id>`. 你的账号还没有关联到店铺员工，请管理员运行 npx shopdesk staff link。";

export function staffToolAssistant(service: AskService, crm: Pick<AssistantCrm, 'staff'>): AssistantPort {
  return {
    async ask(question, asker): Promise<AssistantAnswer> {
      const staff = await crm.staff.byIdentity(asker.source, asker.externalStaffId);
      if (!staff || !staff.active) return { ok: false, reason: 'unknown_staff', message: UNKNOWN };
      try {
        const answer = await service.ask(question, { staff: { id: staff.id, name: staff.displayName ?? staff.name, role: staff.role as StaffRole }, channel: asker.source });
        const result = answer.result as { type?: string; notice?: string };
        if (result?.type === 'notice' && result.notice === 'not_allowed') return { ok: false, reason: 'not_allowed', message: answer.text };
        return { ok: true, text: answer.text, ...(answer.chart ? { chartPng: new Uint8Array(answer.chart.png) } : {}) };
      } catch (err) {
        // the tool shows the asker a short message; the cause stays here (it may be a database outage)
        log.error({ source: asker.source, err: (err as Error).message }, 'assistant failed to answer a staff question');
        return { ok: false, reason: 'failed', message: 'Sorry, I could not look that up just now; please try again. 查询失败，请稍后再试。' };
      }
    },
  };
}
