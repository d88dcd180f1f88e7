import { afterEach, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../src/desk/notifiers/webhook-notifier.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { startWebhookStub } from '../factories/webhook-stub.js';

let h: Harness | undefined;
let stub: Awaited<ReturnType<typeof startWebhookStub>> | undefined;
afterEach(async () => {
  await h?.close();
  await stub?.close();
  h = undefined;
  stub = undefined;
});

const webhookRows = (hh: Harness) => hh.database.db.staffNotification.findMany({ where: { target: 'webhook' }, orderBy: { id: 'asc' } });

describe('the staff outbox', () => {
  it('retries a notification through an outage with backoff, honours Retry-After, and delivers it once', async () => {
    stub = await startWebhookStub((_r, n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200, body: { id: 'hook-msg-42' } }));
    h = await createHarness({ seed: false, notifiers: [new WebhookNotifier(stub.url)] });
    const c = h.customer();
    await c.send('转人工');
    await expect.poll(async () => (await webhookRows(h!)).find((r) => r.kind === 'handoff')?.status, { timeout: 10_000 }).toBe('sent');
    const row = (await webhookRows(h)).find((r) => r.kind === 'handoff')!;
    expect(row).toMatchObject({ attempts: 2, platformRef: 'hook-msg-42', lastError: null });
    const tries = stub.requests.filter((r) => r.key === row.dedupeKey);
    expect(tries).toHaveLength(3);
    // the 429 asked for a second: the third try waited at least that long
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(950);
    expect(stub.delivered().filter((k) => k === row.dedupeKey)).toHaveLength(1);
    expect(tries[2].body).toMatchObject({ kind: 'handoff', conversation: { mode: 'waiting', handoffReason: 'requested' }, customer: { name: expect.any(String) } });
    expect(h.desk.dispatcher.counters.byTarget.webhook).toMatchObject({ failedAttempts: 2, delivered: expect.any(Number) });
    // the desk's own inbox got it at once, and only once
    expect(h.deskEvents.filter((e) => e.kind === 'handoff')).toHaveLength(1);
  });

  it('sets a notification aside after its last attempt, and a retry of failed ones delivers it', async () => {
    let up = false;
    stub = await startWebhookStub(() => (up ? { status: 200 } : { status: 500 }));
    h = await createHarness({ seed: false, notifiers: [new WebhookNotifier(stub.url)], retry: { baseMs: 10, maxDelayMs: 20, maxAttempts: 3, leaseMs: 1000 } });
    const c = h.customer();
    await c.send('转人工');
    await expect.poll(async () => (await webhookRows(h!)).find((r) => r.kind === 'handoff')?.status, { timeout: 10_000 }).toBe('failed');
    const failed = (await webhookRows(h)).find((r) => r.kind === 'handoff')!;
    expect(failed).toMatchObject({ attempts: 3, lastError: 'webhook answered 500' });
    expect(h.desk.dispatcher.counters.givenUp).toBeGreaterThan(0);
    up = true;
    expect(await h.crm.outbox.retryFailed()).toBeGreaterThan(0);
    await h.desk.dispatcher.recover();
    await h.queue.drain(10_000);
    expect((await h.database.db.staffNotification.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe('sent');
    expect(stub.delivered().filter((k) => k === failed.dedupeKey)).toHaveLength(1);
  });

  it('does not post a row twice when a recovery re-queues it while it is being delivered', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const slow = { target: 'slow', kinds: ['handoff'], posts: 0, async deliver() { this.posts++; await gate; return { platformRef: 'slow-1' }; } };
    h = await createHarness({ seed: false, notifiers: [slow] });
    const c = h.customer();
    const sent = c.send('转人工');
    await expect.poll(() => slow.posts, { timeout: 10_000 }).toBe(1);
    // a recovery now finds the row leased, not due: nothing runs twice
    await h.desk.dispatcher.recover();
    const row = await h.database.db.staffNotification.findFirstOrThrow({ where: { target: 'slow' } });
    expect(await h.desk.dispatcher.deliverOne(row.id)).toBe('skipped');
    release();
    await sent;
    expect(slow.posts).toBe(1);
    expect((await h.database.db.staffNotification.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('sent');
  });
});
