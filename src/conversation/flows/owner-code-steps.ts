import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { say } from '../replies/reply-texts.js';
import { logger } from '../../shared/logger.js';
import { ask, done, handoffChoice } from './flow-helpers.js';

const log = logger('flows.owner-code');

type CodeStep = { kind: 'outcome'; outcome: FlowOutcome } | { kind: 'proved' };

/**
 * Sends a one-time code to the contact of the customer the order belongs to and asks for it.
 * The answer is the same whether the order exists and has a contact or not, so a code request
 * tells a stranger nothing; only a sender failing is reported as such.
 */
export async function askForCode(ctx: TurnContext, frame: FlowFrame, orderNumber: string): Promise<{ kind: 'outcome'; outcome: FlowOutcome }> {
  const lang = ctx.u.lang;
  if (!ctx.otp) return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
  const issued = await ctx.crm.orders.issueCode({ conversationId: ctx.conversationId, orderNumber, kinds: ctx.otp.kinds, now: ctx.now });
  if (!issued.ok && issued.reason === 'too_many_codes') {
    return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'codeTooMany'), choices: [handoffChoice(ctx)] }]) };
  }
  if (issued.ok) {
    try {
      await ctx.otp.send({ to: issued.to, code: issued.code, lang, shopName: ctx.policy.name, orderNumber, ttlMinutes: issued.ttlMinutes });
    } catch (err) {
      log.warn({ conversationId: ctx.conversationId, err: (err as Error).message }, 'one-time code not sent');
      return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'codeSendFailed'), choices: [handoffChoice(ctx)] }]) };
    }
  }
  const minutes = issued.ok ? issued.ttlMinutes : 10;
  return { kind: 'outcome', outcome: ask(ctx, { ...frame, retries: 0, slots: { ...frame.slots, proofOrder: orderNumber } }, 'otp_code', { key: 'codeSent', params: { minutes } }) };
}

/** A 6-digit code in the customer's message (full-width digits and spaces allowed). */
function codeIn(text: string): string | undefined {
  const half = text.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)).replace(/\s+/g, '');
  return /^\D*(\d{6})\D*$/.exec(half)?.[1];
}

/** Checks a typed code; three wrong answers end the attempt (the code itself takes five tries at most). */
export async function checkCode(ctx: TurnContext, frame: FlowFrame, orderNumber: string, canContinue: boolean): Promise<CodeStep> {
  const lang = ctx.u.lang;
  const code = codeIn(ctx.u.text);
  if (!code) return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
  const r = await ctx.crm.orders.verifyCode({ conversationId: ctx.conversationId, orderNumber, code, now: ctx.now });
  if (r === 'ok') return { kind: 'proved' };
  if (r === 'wrong' && frame.retries < 2) return { kind: 'outcome', outcome: ask(ctx, { ...frame, retries: frame.retries + 1 }, 'otp_code', { key: 'codeWrong' }) };
  const choices = [...(canContinue ? [{ label: say(lang, 'continueUnverified'), payload: 'owner:continue' }] : []), handoffChoice(ctx)];
  if (canContinue) return { kind: 'outcome', outcome: ask(ctx, frame, 'owner_check', { key: 'codeFailed' }, choices) };
  return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'codeFailed'), choices }]) };
}
