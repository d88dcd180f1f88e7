import { describe, expect, it } from 'vitest';
import { CONVERSATION_TRANSITIONS, planTransition, type ConversationState } from './handoff-state-machine.js';

const now = new Date('2026-12-02T10:00:00Z');
const bot: ConversationState = { mode: 'bot', status: 'open', assigneeId: null };
const waiting: ConversationState = { mode: 'waiting', status: 'waiting', assigneeId: null };
const human: ConversationState = { mode: 'human', status: 'open', assigneeId: 7 };
const resolved: ConversationState = { mode: 'bot', status: 'resolved', assigneeId: null };

describe('handoff state machine', () => {
  it('hands off, is claimed, and is resolved by staff: bot → waiting → human → bot/resolved', () => {
    const h = planTransition(bot, { type: 'handoff', reason: 'requested' }, now);
    expect(h.ok && h.plan.to).toEqual({ mode: 'waiting', status: 'waiting', assigneeId: null });
    expect(h.ok && h.plan.fields.waitingSince).toEqual(now);
    const c = planTransition(waiting, { type: 'claim', staffId: 7 }, now, new Date(now.getTime() - 90_000));
    expect(c.ok && c.plan.to).toEqual({ mode: 'human', status: 'open', assigneeId: 7 });
    expect(c.ok && c.plan.detail).toMatchObject({ staffId: 7, waitedMs: 90_000 });
    expect(c.ok && c.plan.fields.humanInvolved).toBe(true);
    const r = planTransition(human, { type: 'resolve', by: 'staff' }, now);
    expect(r.ok && r.plan.to).toEqual({ mode: 'bot', status: 'resolved', assigneeId: null });
    expect(r.ok && r.plan.fields).toMatchObject({ resolvedBy: 'staff', resolvedAt: now });
  });

  it('rejects illegal moves and names the allowed ones', () => {
    const r = planTransition(human, { type: 'handoff', reason: 'requested' }, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/cannot handoff a conversation that is human\/open; allowed: .*release/);
    expect(planTransition(bot, { type: 'leave_queue' }, now).ok).toBe(false);
    expect(planTransition(bot, { type: 'release' }, now).ok).toBe(false);
    expect(planTransition(resolved, { type: 'resolve', by: 'bot' }, now).ok).toBe(false);
    expect(planTransition(bot, { type: 'reopen' }, now).ok).toBe(false);
    expect(planTransition(human, { type: 'claim', staffId: 9 }, now).ok).toBe(false);
    expect(planTransition(human, { type: 'transfer', staffId: 7 }, now).ok).toBe(false);
  });

  it('lets the customer leave the queue, and staff take over from the bot or transfer', () => {
    expect(planTransition(waiting, { type: 'leave_queue' }, now)).toMatchObject({ ok: true, plan: { to: { mode: 'bot', status: 'open' } } });
    expect(planTransition(bot, { type: 'claim', staffId: 3 }, now)).toMatchObject({ ok: true, plan: { to: { mode: 'human', assigneeId: 3 } } });
    expect(planTransition(human, { type: 'transfer', staffId: 9 }, now)).toMatchObject({ ok: true, plan: { to: { assigneeId: 9 }, detail: { fromStaffId: 7 } } });
  });

  it('reopens a resolved conversation and forgets that a person took part', () => {
    const r = planTransition(resolved, { type: 'reopen' }, now);
    expect(r.ok && r.plan.to.status).toBe('open');
    expect(r.ok && r.plan.fields).toMatchObject({ humanInvolved: false, resolvedBy: null });
    expect(planTransition(resolved, { type: 'handoff', reason: 'requested' }, now).ok).toBe(true);
  });

  it('has a rule for every event type', () => {
    expect(Object.keys(CONVERSATION_TRANSITIONS).sort()).toEqual(['claim', 'handoff', 'leave_queue', 'release', 'reopen', 'resolve', 'transfer']);
  });
});
