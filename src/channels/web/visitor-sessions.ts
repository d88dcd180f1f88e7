import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';

/**
 * Server-side state behind the visitor credential (issue 6, session fixation): which browser a
 * credential belongs to, whether it was replaced, and which conversation threads that browser
 * has — its guest thread and one per shop customer who signed in there. What a browser has proved
 * lives here and on the conversation, never in the cookie value, so a cookie planted by another
 * page, once replaced, opens nothing.
 *
 * The database implementation is in src/crm/conversations/web-visitor-store.ts (wired in
 * src/main.ts); `InProcessVisitorThreads` below is its in-process twin.
 */
export interface VisitorThreadStore {
  /** The browser a visitor id belongs to and whether the id was revoked; undefined if unknown. */
  visitor(visitorId: string): Promise<{ browserId: string; revoked: boolean } | undefined>;
  /** Records a visitor id for a browser (idempotent). */
  addVisitor(visitorId: string, browserId: string): Promise<void>;
  revokeVisitor(visitorId: string): Promise<void>;
  /** The browser's thread for a shop subject, '' for its guest thread. */
  thread(browserId: string, customerRef: string): Promise<string | undefined>;
  /** Creates the thread unless the browser already has one for that subject; returns the one that is bound. Undefined if `threadId` is taken. */
  createThread(browserId: string, customerRef: string, threadId: string): Promise<string | undefined>;
  /** Binds the browser's guest thread to a subject (the conversation carries on signed in); its id, or undefined without one. */
  bindGuestThread(browserId: string, customerRef: string): Promise<string | undefined>;
}

/** Deterministic id of a subject's thread on a browser: the thread ids used before this store existed. */
export function signedInThreadId(browserId: string, customerRef: string): string {
  return `${browserId}~${createHash('sha256').update(customerRef).digest('base64url').slice(0, 16)}`;
}

export interface ResolvedBrowserThread {
  browserId: string;
  threadId: string;
  /** A new credential was issued (new visitor, distrusted or replaced credential, or a sign-in). */
  visitorId: string;
  replacedVisitorId?: string;
}

/**
 * Picks the thread a request may open. `visitorId` is a credential whose signature already
 * checked (or undefined); `customerRef` is a verified token's subject (or undefined for a guest).
 *
 * - unknown or revoked credential → a new browser with a new guest thread;
 * - a credential from before this store (valid signature, no row) keeps its old thread ids;
 * - signing in binds the browser's guest thread to the subject (the conversation carries on) and
 *   replaces the credential, so whoever else knew the old one (a planted cookie) is shut out;
 * - a browser's thread for a subject is opened only with that subject's token (the caller checks).
 */
export async function resolveBrowserThread(store: VisitorThreadStore, visitorId: string | undefined, customerRef: string | undefined, newVisitorId: () => string): Promise<ResolvedBrowserThread> {
  let current = visitorId;
  let browserId: string | undefined;
  if (current) {
    const known = await store.visitor(current);
    if (!known) {
      await store.addVisitor(current, current);
      await store.createThread(current, '', current);
      browserId = current;
    } else if (!known.revoked) browserId = known.browserId;
  }
  if (!browserId) {
    current = newVisitorId();
    browserId = current;
    await store.addVisitor(current, browserId);
  }
  const want = customerRef ?? '';
  const existing = await store.thread(browserId, want);
  if (existing) return { browserId, threadId: existing, visitorId: current! };
  if (!customerRef) return { browserId, threadId: await guestThread(store, browserId), visitorId: current! };
  // first sign-in of this subject on this browser: carry the guest conversation on, new credential
  const bound = (await store.bindGuestThread(browserId, customerRef)) ?? (await store.createThread(browserId, customerRef, signedInThreadId(browserId, customerRef)));
  const threadId = bound ?? (await store.thread(browserId, customerRef));
  if (!threadId) throw new Error('no thread could be bound for the signed-in customer');
  const rotated = newVisitorId();
  await store.addVisitor(rotated, browserId);
  await store.revokeVisitor(current!);
  return { browserId, threadId, visitorId: rotated, replacedVisitorId: current };
}

async function guestThread(store: VisitorThreadStore, browserId: string): Promise<string> {
  // the first guest thread of a browser is named after it (as before this store); later ones are random
  for (const id of [browserId, `${browserId}~g${randomBytes(6).toString('base64url')}`]) {
    const t = await store.createThread(browserId, '', id);
    if (t) return t;
  }
  const t = await store.thread(browserId, '');
  if (!t) throw new Error('no guest thread could be made');
  return t;
}

/** The in-process twin of the database store (tests, and a single process without a database). */
export class InProcessVisitorThreads implements VisitorThreadStore {
  private readonly visitors = new Map<string, { browserId: string; revoked: boolean }>();
  private readonly threads = new Map<string, string>();
  private readonly threadIds = new Set<string>();

  async visitor(visitorId: string) {
    const v = this.visitors.get(visitorId);
    return v ? { ...v } : undefined;
  }
  async addVisitor(visitorId: string, browserId: string): Promise<void> {
    if (!this.visitors.has(visitorId)) this.visitors.set(visitorId, { browserId, revoked: false });
  }
  async revokeVisitor(visitorId: string): Promise<void> {
    const v = this.visitors.get(visitorId);
    if (v) v.revoked = true;
  }
  async thread(browserId: string, customerRef: string) {
    return this.threads.get(`${browserId}\n${customerRef}`);
  }
  async createThread(browserId: string, customerRef: string, threadId: string) {
    const key = `${browserId}\n${customerRef}`;
    const had = this.threads.get(key);
    if (had) return had;
    if (this.threadIds.has(threadId)) return undefined;
    this.threads.set(key, threadId);
    this.threadIds.add(threadId);
    return threadId;
  }
  async bindGuestThread(browserId: string, customerRef: string) {
    const guest = this.threads.get(`${browserId}\n`);
    if (!guest || this.threads.has(`${browserId}\n${customerRef}`)) return undefined;
    this.threads.delete(`${browserId}\n`);
    this.threads.set(`${browserId}\n${customerRef}`, guest);
    return guest;
  }
}
