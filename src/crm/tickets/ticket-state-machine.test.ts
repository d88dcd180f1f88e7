import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '../crm-constants.js';
import { canTransition, TICKET_TRANSITIONS } from './ticket-state-machine.js';

describe('ticket state machine', () => {
  it('lets an open ticket be worked on, resolved or cancelled', () => {
    expect(canTransition('open', 'in_progress')).toBe(true);
    expect(canTransition('open', 'resolved')).toBe(true);
    expect(canTransition('open', 'cancelled')).toBe(true);
  });
  it('never leaves the final states', () => {
    for (const to of TICKET_STATUSES) {
      expect(canTransition('closed', to)).toBe(false);
      expect(canTransition('cancelled', to)).toBe(false);
    }
  });
  it('reopens a resolved ticket but cannot close one that was never resolved', () => {
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(canTransition('open', 'closed')).toBe(false);
    expect(canTransition('in_progress', 'closed')).toBe(false);
  });
  it('names only known statuses in the table', () => {
    for (const [from, tos] of Object.entries(TICKET_TRANSITIONS)) {
      expect(TICKET_STATUSES).toContain(from);
      for (const to of tos) expect(TICKET_STATUSES).toContain(to);
    }
  });
});
