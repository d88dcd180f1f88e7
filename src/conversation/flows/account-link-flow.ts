import { z } from 'zod';
import { LINK_CODE_TTL_MS, type IssuedLinkCode } from '../../crm/index.js';
import { maskEmail, maskPhone } from '../../shared/contact-masking.js';
import { logger } from '../../shared/logger.js';
import type { OtpContact } from '../../shared/otp-sender.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { say, type TextKey } from '../replies/reply-texts.js';
import { defineFlow, END, type FlowFrameOf } from './flow-definition.js';
import { ask, done, handoffChoice } from './flow-helpers.js';

/**
 * Linking a sender's channel to their customer account (issue 10 items 2 and 7): "绑定手机",
 * "验证邮箱", "link my account", or the offer the order flow makes to a sender it cannot
 * identify. The customer names a phone or e-mail; when a customer has it on file, a 6-digit code
 * goes THERE (never to a contact that is not on file — the answer is the same either way, so no
 * one can probe which contacts exist); typing it back links the sender (their guest record, with
 * its conversations and tickets, is merged into that customer) and proves it for this
 * conversation. Limits and storage: src/crm/customers/account-link.ts.
 *
 */
const log = logger('flows.account-link');
const LinkSlots = z.object({ kind: z.enum(['email', 'sms']).optional() });
type Slots = z.infer<typeof LinkSlots>;
type Frame = FlowFrameOf<Slots>;

/** "绑定手机", "验证邮箱", "关联账号", "link my account", "verify my email" (a whole-phrase lexicon: the intent model has no such intent). */
const LINK_REQUEST = /(?:绑定|关联|验证|认证|核实)(?:一下)?(?:我的)?(?:手机|电话|邮箱|电子邮件|账号|账户|帐号|帐户|身份|会员)|link (?:my |this )?(?:account|chat|profile|phone|e-?mail)|verify (?:my |that )?(?:e-?mail|phone|number|identity|account|it'?s me)|connect (?:to )?my account/i;

export function isLinkRequest(text: string): boolean {
  return LINK_REQUEST.test(text);
}

const EMAIL_IN = /[^\s@<>"'，。：:；;（）()]+@[^\s@<>"'，。：:；;（）()]+\.[a-z]{2,}/i;
const PHONE_IN = /(?:\+|＋|00)?[\d０-９](?:[\d０-９]|[ \-()（）](?=[\d０-９(（])){6,18}[\d０-９]/;

function half(text: string): string {
  return text.replace(/[０-９＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** A phone number or an e-mail address in the message, as typed. */
function contactIn(text: string): { kind: 'email' | 'sms'; value: string } | undefined {
  const email = EMAIL_IN.exec(text)?.[0];
  if (email) return { kind: 'email', value: email };
  const phone = PHONE_IN.exec(half(text))?.[0];
  return phone && phone.replace(/\D/g, '').length >= 8 ? { kind: 'sms', value: phone } : undefined;
}

/** A 6-digit code as the whole answer (full-width digits and spaces allowed). */
function codeIn(text: string): string | undefined {
  return /^\D*(\d{6})\D*$/.exec(half(text).replace(/\s+/g, ''))?.[1];
}

function contactKey(kinds: readonly string[]): TextKey {
  if (kinds.includes('email') && kinds.includes('sms')) return 'linkContactBoth';
  return kinds.includes('email') ? 'linkContactEmail' : 'linkContactPhone';
}

async function start(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> {
  const lang = ctx.u.lang;
  // signed in, or linked already (an e-mail sender counts only once this conversation proved it)
  if (!ctx.identityAsserted && !(await ctx.crm.customers.isGuest(ctx.customerId))) {
    return done([{ type: 'choices', text: say(lang, 'linkAlready'), choices: [{ label: say(lang, 'menuOrder'), payload: 'intent:order_status' }] }]);
  }
  const kinds = ctx.otp?.kinds ?? [];
  if (!kinds.length) return done([{ type: 'choices', text: say(lang, 'linkUnavailable'), choices: [handoffChoice(ctx)] }]);
  const given = contactIn(ctx.u.text);
  if (given) return sendCode(ctx, frame, given);
  return ask(ctx, frame, 'ask_contact', { key: 'linkAsk', params: { contact: { key: contactKey(kinds) } } });
}

async function askContact(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> {
  const given = contactIn(ctx.u.text);
  if (given) return sendCode(ctx, frame, given);
  // no digits and no @: another question, which the router answers before coming back here
  if (ctx.u.postback || !/[\d０-９@]/.test(ctx.u.text)) return { replies: [], frame, notAnAnswer: true };
  return notAContact(ctx, frame);
}

function notAContact(ctx: TurnContext, frame: Frame): FlowOutcome {
  if (frame.step === 'ask_contact' && frame.retries >= 2) return done([{ type: 'choices', text: say(ctx.u.lang, 'linkUnavailable'), choices: [handoffChoice(ctx)] }]);
  return ask(ctx, { ...frame, retries: frame.step === 'ask_contact' ? frame.retries + 1 : 0 }, 'ask_contact', { key: 'linkNotContact' });
}

async function sendCode(ctx: TurnContext, frame: Frame, given: { kind: 'email' | 'sms'; value: string }): Promise<FlowOutcome> {
  const lang = ctx.u.lang;
  const kinds = ctx.otp?.kinds ?? [];
  // said before anything is looked up, so it tells nothing about the contact
  if (!kinds.includes(given.kind)) return ask(ctx, frame, 'ask_contact', { key: given.kind === 'sms' ? 'linkPhoneUnavailable' : 'linkEmailUnavailable' });
  const issued = await ctx.crm.customers.issueLinkCode({ conversationId: ctx.conversationId, senderCustomerId: ctx.customerId, kind: given.kind, value: given.value, clientKey: ctx.clientKey, now: ctx.now });
  if (issued.status === 'invalid_contact') return notAContact(ctx, frame);
  if (issued.status === 'too_many_codes') return done([{ type: 'choices', text: say(lang, 'codeTooMany'), choices: [handoffChoice(ctx)] }]);
  if (issued.status === 'sent') deliver(ctx, issued);
  const shown = given.kind === 'email' ? maskEmail(given.value.trim().toLowerCase()) : maskPhone(given.value);
  return ask(ctx, { ...frame, retries: 0, slots: { kind: given.kind } }, 'code', { key: 'linkCodeSent', params: { contact: shown, minutes: LINK_CODE_TTL_MS / 60_000 } });
}

/**
 * Sends the code without holding the turn up for it: a reply that came only after an SMTP or
 * gateway round trip would tell a prober the contact is on file. A failed send is told to no
 * one but the operators (no address, no code): the customer, answered neutrally, asks again.
 */
function deliver(ctx: TurnContext, issued: Extract<IssuedLinkCode, { status: 'sent' }>): void {
  const to: OtpContact = issued.to.kind === 'email' ? { kind: 'email', address: issued.to.address } : { kind: 'sms', phone: issued.to.phone };
  const sending = ctx.otp?.send({ to, code: issued.code, lang: ctx.u.lang, shopName: ctx.policy.name, ttlMinutes: issued.ttlMinutes });
  sending?.catch((err: unknown) => log.warn({ conversationId: ctx.conversationId, kind: to.kind, code: (err as { code?: string }).code }, 'account link code not delivered'));
}

async function checkCode(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> {
  const lang = ctx.u.lang;
  if (ctx.u.postback === 'flow:link') return ask(ctx, frame, 'ask_contact', { key: 'linkAsk', params: { contact: { key: contactKey(ctx.otp?.kinds ?? []) } } });
  const code = EMAIL_IN.test(ctx.u.text) ? undefined : codeIn(ctx.u.text);
  if (!code) {
    // a corrected phone or address instead of the code: a new code for it
    const given = contactIn(ctx.u.text);
    return given ? sendCode(ctx, frame, given) : { replies: [], frame, notAnAnswer: true };
  }
  const r = await ctx.crm.customers.verifyLinkCode({ conversationId: ctx.conversationId, senderCustomerId: ctx.customerId, code, now: ctx.now });
  const linked = r.status === 'linked' || (r.status === 'no_code' && (await ctx.crm.customers.identityProvenIn(ctx.conversationId, ctx.customerId, ctx.now)));
  if (linked) {
    // (a re-run of a turn whose link was made before a crash finds its proof and says the same)
    return done([{ type: 'choices', text: say(lang, 'linkDone'), choices: [{ label: say(lang, 'menuOrder'), payload: 'intent:order_status' }] }], { resolved: {} });
  }
  if (r.status === 'wrong') return ask(ctx, frame, 'code', { key: 'linkCodeWrong', params: { left: r.triesLeft } });
  if (r.status === 'conflict') return done([{ type: 'choices', text: say(lang, 'linkConflict'), choices: [handoffChoice(ctx)] }]);
  return done([{ type: 'choices', text: say(lang, 'linkCodeDead'), choices: [{ label: say(lang, 'linkNewCode'), payload: 'flow:link' }, handoffChoice(ctx)] }]);
}

export const accountLinkFlow = defineFlow<Slots>({
  name: 'link_account',
  about: 'link the sender to the customer whose phone or e-mail on file they can read, by a one-time code',
  // started by a phrase or the order flow's offer (request-router), not by a classifier intent
  intents: [],
  slots: LinkSlots,
  start: 'start',
  states: {
    start: { about: 'an already identified sender is told so; else the contact is asked for (or taken from the request)', to: ['ask_contact', 'code', END], run: start },
    ask_contact: { about: 'a phone or e-mail: a code to it when it is on file, the same answer when not', to: ['ask_contact', 'code', END], run: askContact },
    code: { about: 'the 6-digit code: links the sender to the customer the code was made for', to: ['code', 'ask_contact', END], run: checkCode },
  },
});
