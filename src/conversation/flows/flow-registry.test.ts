import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { checkTransition } from '../engine/flow-runner.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import { INTENTS } from '../intent-names.js';
import { defineFlow, END, type AnyFlowDefinition } from './flow-definition.js';
import { FLOW_DOCS_PATH, renderFlowDocs } from './flow-docs.js';
import { flowByName, flowForIntent, registeredFlows, registerFlow } from './flow-registry.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** States reachable from the start by following the table. */
function reachable(f: AnyFlowDefinition): Set<string> {
  const seen = new Set([f.start]);
  const todo = [f.start];
  while (todo.length) {
    for (const to of f.states[todo.pop()!]?.to ?? []) {
      if (to !== END && !seen.has(to)) { seen.add(to); todo.push(to); }
    }
  }
  return seen;
}

const frame = (flow: string, step: string, slots: Record<string, unknown> = {}): FlowFrame =>
  ({ flow, step, slots, startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', startedBy: 1, retries: 0 });

const tiny = defineFlow<{ note?: string }>({
  name: 'tiny_test', about: 'a test flow', intents: [], slots: z.object({ note: z.string().optional() }), start: 'a',
  states: { a: { about: 'first', to: ['b'], run: () => ({ replies: [], frame: null }) }, b: { about: 'second', to: [END], run: () => ({ replies: [], frame: null }) } },
});

describe('the flow registry', () => {
  it('holds the built-in flows, found by name and by the intents that start them', () => {
    expect(registeredFlows().map((f) => f.name)).toEqual(['order_status', 'return', 'cancel', 'change_order', 'leave_message', 'csat', 'link_account']);
    expect(flowForIntent(INTENTS.exchange)?.name).toBe('return');
    expect(flowForIntent(INTENTS.cancelOrder)).toBe(flowByName('cancel'));
    expect(flowForIntent(INTENTS.invoice)).toBeUndefined();
  });

  describe.each(registeredFlows().map((f) => [f.name, f] as const))('flow %s', (_name, f) => {
    it('has a closed table: every target is a state or the end, and the start is a state', () => {
      expect(Object.keys(f.states)).toContain(f.start);
      for (const [from, s] of Object.entries(f.states)) {
        for (const to of s.to) expect(to === END || to in f.states, `${f.name}: ${from} → ${to}`).toBe(true);
        expect(s.about.length, `${f.name}: ${from} says what it waits for`).toBeGreaterThan(3);
      }
    });

    it('reaches every state from the start, and can end', () => {
      expect([...reachable(f)].sort()).toEqual(Object.keys(f.states).sort());
      expect(Object.values(f.states).some((s) => s.to.includes(END))).toBe(true);
      expect(f.reaskOnOwnIntent?.every((s) => s in f.states) ?? true).toBe(true);
    });

    it('parses empty slots (a flow can always start afresh)', () => {
      expect(f.slots.safeParse({}).success).toBe(true);
    });
  });

  it('refuses a second flow with a taken name or a taken intent, and undoes a registration', () => {
    expect(() => registerFlow({ ...tiny, name: 'return' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => registerFlow({ ...tiny, intents: [INTENTS.orderStatus] })).toThrow(/already starts flow "order_status"/);
    expect(() => registerFlow({ ...tiny, start: 'nowhere' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    const undo = registerFlow(tiny);
    expect(flowByName('tiny_test')).toBe(tiny);
    undo();
    expect(flowByName('tiny_test')).toBeUndefined();
  });
});

describe('transitions checked against the table', () => {
  const illegal = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      return (err as AppError);
    }
    throw new Error('expected an illegal transition');
  };

  it('allows what the table lists: a listed state, the end where listed, not-an-answer staying put', () => {
    expect(() => checkTransition(tiny, 'a', { replies: [], frame: frame('tiny_test', 'b') })).not.toThrow();
    expect(() => checkTransition(tiny, 'b', { replies: [], frame: null })).not.toThrow();
    expect(() => checkTransition(tiny, 'a', { replies: [], frame: frame('tiny_test', 'a'), notAnAnswer: true })).not.toThrow();
  });

  it('refuses a state the table does not list, an end where none is declared, and a handoff from there', () => {
    const e = illegal(() => checkTransition(tiny, 'b', { replies: [], frame: frame('tiny_test', 'a') }));
    expect(e).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { flow: 'tiny_test', from: 'b', to: 'a' } });
    expect(illegal(() => checkTransition(tiny, 'a', { replies: [], frame: null })).message).toMatch(/"a" may go to b/);
    expect(illegal(() => checkTransition(tiny, 'a', { replies: [], frame: frame('tiny_test', 'b'), handoff: 'requested' })).code).toBe('ILLEGAL_TRANSITION');
  });

  it('refuses a frame of another flow, slots the schema does not declare or accept, and not-an-answer that moved', () => {
    expect(illegal(() => checkTransition(tiny, 'a', { replies: [], frame: frame('return', 'b') })).message).toMatch(/belongs to flow "return"/);
    expect(illegal(() => checkTransition(tiny, 'a', { replies: [], frame: frame('tiny_test', 'b', { typo: 1 }) })).message).toMatch(/undeclared slots: typo/);
    expect(illegal(() => checkTransition(tiny, 'a', { replies: [], frame: frame('tiny_test', 'b', { note: 5 }) })).message).toMatch(/slots do not fit: note/);
    expect(illegal(() => checkTransition(tiny, 'a', { replies: [], frame: frame('tiny_test', 'b'), notAnAnswer: true })).message).toMatch(/not an answer/);
  });

  it('types the built-in flows\' slots: a stored return with a made-up reason does not parse', () => {
    const ret = flowByName('return')!;
    expect(ret.slots.safeParse({ orderNumber: 'SD2501010001', reason: 'size', items: ['A'] }).success).toBe(true);
    expect(ret.slots.safeParse({ reason: 'bored' }).success).toBe(false);
    expect(flowByName('cancel')!.slots.safeParse({ orderId: 'seven' }).success).toBe(false);
  });
});

describe('docs/flows.md', () => {
  it('is the current rendering of the registry (regenerate: npx tsx src/cli/shopdesk-cli.ts flows --write docs/flows.md)', () => {
    const text = renderFlowDocs(registeredFlows());
    expect(readFileSync(join(ROOT, FLOW_DOCS_PATH), 'utf8')).toBe(text);
    for (const f of registeredFlows()) expect(text).toContain(`## \`${f.name}\``);
    expect(text).toContain('| `confirm` | yes (cancel: at once when unpaid, else a ticket) or no (kept) | `end` |');
  });
});
