import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export const STUB_BOT = { userId: 'U0SHOPBOT', botId: 'B0SHOPBOT', teamId: 'T0SHOP' };

export interface SlackCall {
  method: string;
  /** Form fields, with JSON-encoded ones (blocks) decoded. */
  args: Record<string, unknown>;
  auth: string | undefined;
  at: number;
  /** The HTTP status the stub answered. */
  status: number;
}

/** A scripted failure for the next calls of a method. */
export type StubFailure = { status: 429; retryAfterS: number } | { status: 500 } | { ok: false; error: string } | { delayMs: number };

/**
 * A real HTTP server standing in for the Slack Web API (`SLACK_API_URL`): it records every call
 * and answers like Slack — chat.postMessage gives out increasing `ts`, files.getUploadURLExternal
 * hands out an upload URL on itself — or fails as scripted (429 with Retry-After, 500, ok:false).
 */
export async function startSlackApiStub() {
  const calls: SlackCall[] = [];
  const uploads: { fileId: string; bytes: number }[] = [];
  const failures = new Map<string, StubFailure[]>();
  let ts = 1_700_000_000;
  let files = 0;
  let base = '';

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://stub').pathname;
      if (path.startsWith('/upload/')) {
        uploads.push({ fileId: path.slice('/upload/'.length), bytes: raw.length });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('OK - 1');
        return;
      }
      const method = path.replace(/^\/api\//, '');
      const form = parseQuery(raw.toString('utf8'));
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(form)) {
        const s = Array.isArray(v) ? v[0]! : v ?? '';
        args[k] = /^[[{]/.test(s) ? JSON.parse(s) : s;
      }
      const call: SlackCall = { method, args, auth: req.headers.authorization, at: Date.now(), status: 200 };
      calls.push(call);
      const fail = failures.get(method)?.shift();
      if (fail && 'delayMs' in fail) await new Promise((r) => setTimeout(r, fail.delayMs));
      else if (fail && 'status' in fail) {
        call.status = fail.status;
        if (fail.status === 429) return answer(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(fail.retryAfterS) });
        return answer(res, 500, { ok: false, error: 'internal_error' });
      } else if (fail) return answer(res, 200, fail);
      switch (method) {
        case 'auth.test': return answer(res, 200, { ok: true, user_id: STUB_BOT.userId, bot_id: STUB_BOT.botId, team_id: STUB_BOT.teamId, user: 'shopdesk' });
        case 'chat.postMessage': return answer(res, 200, { ok: true, channel: args.channel, ts: `${++ts}.000100`, message: { text: args.text } });
        case 'chat.update': return answer(res, 200, { ok: true, channel: args.channel, ts: args.ts });
        case 'chat.postEphemeral': return answer(res, 200, { ok: true, message_ts: `${++ts}.000200` });
        case 'files.getUploadURLExternal': {
          const fileId = `F0${++files}`;
          return answer(res, 200, { ok: true, upload_url: `${base}/upload/${fileId}`, file_id: fileId });
        }
        case 'files.completeUploadExternal': return answer(res, 200, { ok: true, files: (args.files as { id: string }[]).map((f) => ({ id: f.id, title: 'image' })) });
        default: return answer(res, 200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** SLACK_API_URL */
    apiUrl: `${base}/api/`,
    calls,
    uploads,
    /** Calls of one method that Slack accepted (status 200, not scripted to fail). */
    ok: (method: string) => calls.filter((c) => c.method === method && c.status === 200),
    failNext(method: string, ...list: StubFailure[]) {
      failures.set(method, [...(failures.get(method) ?? []), ...list]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SlackApiStub = Awaited<ReturnType<typeof startSlackApiStub>>;

/** Slack's v0 request signature, computed as Slack does: HMAC-SHA256 of `v0:<ts>:<body>`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a body to /slack/events as Slack would: signed (or not), maybe as a retry. */
export async function postToSlackEvents(base: string, secret: string, body: { json: unknown } | { payload: unknown }, opts: { timestamp?: number; signature?: string; retryNum?: number } = {}): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const isJson = 'json' in body;
  const raw = isJson ? JSON.stringify(body.json) : `payload=${encodeURIComponent(JSON.stringify(body.payload))}`;
  const headers: Record<string, string> = {
    'Content-Type': isJson ? 'application/json' : 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': opts.signature ?? slackSignature(secret, timestamp, raw),
  };
  if (opts.retryNum) Object.assign(headers, { 'X-Slack-Retry-Num': String(opts.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' });
  const started = Date.now();
  const r = await fetch(`${base}/slack/events`, { method: 'POST', headers, body: raw });
  return { status: r.status, text: await r.text(), ms: Date.now() - started };
}

/** An Events API envelope around one event, as Slack sends it. */
export function eventEnvelope(eventId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'legacy-verification-token', team_id: STUB_BOT.teamId, api_app_id: 'A0SHOPDESK', type: 'event_callback', event_id: eventId,
    event_time: Math.floor(Date.now() / 1000), event: { event_ts: event.ts, ...event },
    authorizations: [{ enterprise_id: null, team_id: STUB_BOT.teamId, user_id: STUB_BOT.userId, is_bot: true }],
  };
}

/** A button press on one of shopdesk's messages (interactivity `block_actions`). */
export function buttonPayload(opts: { user: string; channel: string; messageTs: string; actionId: string; value: string }): Record<string, unknown> {
  const now = `${Date.now() / 1000}`;
  return {
    type: 'block_actions', team: { id: STUB_BOT.teamId, domain: 'shop' }, user: { id: opts.user, username: opts.user, team_id: STUB_BOT.teamId },
    api_app_id: 'A0SHOPDESK', token: 'legacy-verification-token', trigger_id: `trig.${now}`,
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    channel: { id: opts.channel, name: 'support' }, message: { type: 'message', ts: opts.messageTs, text: 'Handoff' },
    response_url: 'https://hooks.slack.com/actions/T0SHOP/1/x',
    actions: [{ type: 'button', action_id: opts.actionId, block_id: 'b', value: opts.value, action_ts: now }],
  };
}
