import type { StaffRole } from '../crm/crm-constants.js';
import { maskEmail, maskPhone } from '../shared/contact-masking.js';
import type { AskQuery, Metric } from './ask-query.js';
import type { AskResult, CustomerSummary, LookupResult } from './ask-result.js';

/**
 * Who may see what (issue 9, item 3). Managers and admins see every figure and personal data.
 * Agents see customers, orders and tickets and the service figures; business figures (sales,
 * customers, refunds) only where ASK_AGENT_SEES_FIGURES is on; phones and e-mail addresses
 * masked (138****8000, al***@example.com; src/shared/contact-masking.ts).
 */
export interface AccessPolicy {
  /** ASK_AGENT_SEES_FIGURES: agents may see sales-type figures too. */
  agentSeesFigures: boolean;
}

/** Figures about the service that every staff member may see. */
export const SERVICE_METRICS: readonly Metric[] = ['open_tickets', 'sla_breaches', 'csat', 'automation_rate', 'conversations'];

export function mayRun(role: StaffRole, query: AskQuery, policy: AccessPolicy): boolean {
  if (role === 'manager' || role === 'admin') return true;
  if (query.kind !== 'metric') return true;
  return policy.agentSeesFigures || SERVICE_METRICS.includes(query.metric);
}

export function seesPersonalData(role: StaffRole): boolean {
  return role === 'manager' || role === 'admin';
}

function maskContact<T extends { phone: string | null; email: string | null }>(c: T): T {
  return { ...c, phone: c.phone ? maskPhone(c.phone) : null, email: c.email ? maskEmail(c.email) : null };
}

/** A result as this role may see it (a copy; the original is untouched). */
export function maskResult(result: AskResult, role: StaffRole): AskResult {
  if (seesPersonalData(role) || result.type !== 'lookup') return result;
  const r: LookupResult = { ...result };
  if (r.ref && (r.ref.kind === 'phone' || r.ref.kind === 'email')) r.ref = { ...r.ref, value: r.ref.kind === 'phone' ? maskPhone(r.ref.value) : maskEmail(r.ref.value) };
  if (r.matches) r.matches = r.matches.map((m: CustomerSummary) => maskContact(m));
  if (r.customer) r.customer = maskContact(r.customer);
  if (r.order) {
    r.order = {
      ...r.order,
      customer: maskContact(r.order.customer),
      ship: { ...r.order.ship, phone: r.order.ship.phone ? maskPhone(r.order.ship.phone) : null },
    };
  }
  return r;
}

/** The query as the audit log keeps it: contact values masked (the log never holds contact data). */
export function auditableQuery(query: AskQuery): AskQuery {
  if (query.kind !== 'lookup' || !query.customer) return query;
  const c = query.customer;
  const customer = 'phone' in c ? { phone: maskPhone(c.phone) } : 'email' in c ? { email: maskEmail(c.email) } : c;
  return { ...query, customer };
}
