import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on loopback speaking the published WeCom (企业微信 / 微信客服) and WeChat
 * Official Account API formats, for channel tests and the channels benchmark:
 *
 * - `GET  /cgi-bin/gettoken?corpid&corpsecret` (WeCom), `GET /cgi-bin/token?grant_type=client_credential&appid&secret` (OA)
 * - `POST /cgi-bin/kf/sync_msg`, `/cgi-bin/kf/send_msg`, `/cgi-bin/kf/service_state/get`, `/cgi-bin/kf/service_state/trans`
 * - `POST /cgi-bin/media/upload?type=image` (multipart), `GET /cgi-bin/media/get?media_id`
 * - `POST /cgi-bin/message/custom/send` (OA customer-service message)
 * - `POST /cgi-bin/message/send` (a WeCom self-built app's message: text, textcard, markdown,
 *   template_card, image), `POST /cgi-bin/message/update_template_card` (a tapped card's buttons,
 *   response_code once), `GET /cgi-bin/user/get?userid` (the corp's directory, `users`)
 *
 * Every API call carries `access_token` and answers `{errcode, errmsg, …}` with HTTP 200, like
 * the platform. Faults are injected per path (`inject`), tokens can be expired (`expireTokens`,
 * then 42001), a customer's window closed (`closeWindow`: 95018 for kf, 45015 for the OA).
 * Every call is recorded in `calls`.
 */
export interface StubCall { method: string; path: string; query: Record<string, string>; body: unknown; at: number; answer?: { status: number; errcode?: number } }

export type StubFault =
  | { errcode: number; errmsg?: string }
  | { status: number }
  | { delayMs: number };

export interface KfStubMessage {
  msgid: string;
  open_kfid: string;
  external_userid: string;
  send_time: number;
  origin: number;
  msgtype: string;
  [k: string]: unknown;
}

/** A WeCom app message: `touser` split on `|`, users outside the directory left out (and reported as `invaliduser`). */
export interface AppSent { msgid: string; touser: string[]; agentid: number; msgtype: string; body: Record<string, unknown> }

export interface KfSent { msgid: string; touser: string; open_kfid: string; msgtype: string; body: Record<string, unknown> }

const ok = { errcode: 0, errmsg: 'ok' };

export async function startWechatStub(opts: { corpId?: string; secret?: string; appId?: string; appSecret?: string; tokenTtlSec?: number } = {}) {
  const corpId = opts.corpId ?? 'wwstubcorp0001';
  const secret = opts.secret ?? 'stub-secret';
  const appId = opts.appId ?? 'wxstubapp0001';
  const appSecret = opts.appSecret ?? 'stub-app-secret';
  const tokens = new Map<string, { expired: boolean }>();
  const faults = new Map<string, StubFault[]>();
  const calls: StubCall[] = [];
  /** The kf message log, as sync_msg pages through it (cursor = index). */
  const log: KfStubMessage[] = [];
  const callbackTokens = new Set<string>();
  const sessions = new Map<string, { state: number; servicer?: string }>();
  const closedWindows = new Set<string>();
  const sent: KfSent[] = [];
  const sentIds = new Set<string>();
  const oaSent: Record<string, unknown>[] = [];
  const media = new Map<string, { type: string; bytes: Buffer }>();
  const appSent: AppSent[] = [];
  /** The corp's directory (user/get); empty = everyone exists. */
  const users = new Map<string, { name: string }>();
  /** Per-content duplicate check of message/send (enable_duplicate_check): key → msgid. */
  const appDupes = new Map<string, string>();
  const cardUpdates: Record<string, unknown>[] = [];
  const usedResponseCodes = new Set<string>();

  const sessionKey = (kf: string, user: string) => `${kf}|${user}`;
  const session = (kf: string, user: string) => {
    const k = sessionKey(kf, user);
    if (!sessions.has(k)) sessions.set(k, { state: 0 });
    return sessions.get(k)!;
  };

  function newToken(): { access_token: string; expires_in: number } {
    const t = `tok_${randomBytes(12).toString('hex')}`;
    tokens.set(t, { expired: false });
    return { access_token: t, expires_in: opts.tokenTtlSec ?? 7200 };
  }

  function tokenError(query: Record<string, string>): { errcode: number; errmsg: string } | undefined {
    const t = tokens.get(query.access_token ?? '');
    if (!t) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (t.expired) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  function route(method: string, path: string, query: Record<string, string>, body: unknown, raw: Buffer): { status: number; json?: unknown; bytes?: Buffer; type?: string } {
    if (path === '/cgi-bin/gettoken') {
      if (query.corpid !== corpId || query.corpsecret !== secret) return { status: 200, json: { errcode: 40001, errmsg: 'invalid credential' } };
      return { status: 200, json: { ...ok, ...newToken() } };
    }
    if (path === '/cgi-bin/token') {
      if (query.appid !== appId || query.secret !== appSecret) return { status: 200, json: { errcode: 40125, errmsg: 'invalid appsecret' } };
      return { status: 200, json: newToken() };
    }
    const bad = tokenError(query);
    if (bad) return { status: 200, json: bad };
    const b = (body ?? {}) as Record<string, unknown>;
    switch (path) {
      case '/cgi-bin/kf/sync_msg': {
        if (!b.cursor && !callbackTokens.has(String(b.token ?? ''))) return { status: 200, json: { errcode: 95007, errmsg: 'invalid msg token' } };
        const start = b.cursor ? Number(String(b.cursor).replace('c', '')) : 0;
        const limit = Math.min(Number(b.limit ?? 1000), 1000);
        const kf = b.open_kfid ? String(b.open_kfid) : undefined;
        const page = log.slice(start).filter((m) => !kf || m.open_kfid === kf).slice(0, limit);
        const end = page.length ? log.indexOf(page[page.length - 1]) + 1 : Math.max(start, log.length);
        return { status: 200, json: { ...ok, next_cursor: `c${end}`, has_more: end < log.length ? 1 : 0, msg_list: page } };
      }
      case '/cgi-bin/kf/send_msg': {
        const kf = String(b.open_kfid ?? '');
        const user = String(b.touser ?? '');
        const s = session(kf, user);
        if (closedWindows.has(user) || (s.state !== 0 && s.state !== 1)) return { status: 200, json: { errcode: 95018, errmsg: 'send msg not allowed in this session state or window' } };
        const msgid = String(b.msgid ?? `stub_${randomBytes(6).toString('hex')}`);
        // the platform refuses a msgid twice: what went out under it is not sent again
        if (!sentIds.has(msgid)) {
          sentIds.add(msgid);
          sent.push({ msgid, touser: user, open_kfid: kf, msgtype: String(b.msgtype), body: b });
        }
        return { status: 200, json: { ...ok, msgid } };
      }
      case '/cgi-bin/kf/service_state/get': {
        const s = session(String(b.open_kfid), String(b.external_userid));
        return { status: 200, json: { ...ok, service_state: s.state, servicer_userid: s.servicer ?? '' } };
      }
      case '/cgi-bin/kf/service_state/trans': {
        const s = session(String(b.open_kfid), String(b.external_userid));
        const to = Number(b.service_state);
        const allowed: Record<number, number[]> = { 0: [1, 2, 3, 4], 1: [2, 3, 4], 2: [3, 4], 3: [4], 4: [1, 2, 3] };
        if (!allowed[s.state]?.includes(to)) return { status: 200, json: { errcode: 95016, errmsg: 'service state transition not allowed' } };
        s.state = to;
        s.servicer = b.servicer_userid ? String(b.servicer_userid) : undefined;
        return { status: 200, json: { ...ok, msg_code: `code_${randomBytes(4).toString('hex')}` } };
      }
      case '/cgi-bin/media/upload': {
        const id = `media_${randomBytes(8).toString('hex')}`;
        media.set(id, { type: query.type ?? 'file', bytes: multipartFile(raw) });
        return { status: 200, json: { ...ok, type: query.type ?? 'file', media_id: id, created_at: String(Math.floor(Date.now() / 1000)) } };
      }
      case '/cgi-bin/media/get': {
        const m = media.get(query.media_id ?? '');
        if (!m) return { status: 200, json: { errcode: 40007, errmsg: 'invalid media_id' } };
        return { status: 200, bytes: m.bytes, type: 'image/png' };
      }
      case '/cgi-bin/message/send': {
        const to = String(b.touser ?? '').split('|').filter(Boolean);
        const known = users.size ? to.filter((u) => users.has(u)) : to;
        const invalid = to.filter((u) => !known.includes(u));
        if (!known.length) return { status: 200, json: { errcode: 81013, errmsg: 'user & party & tag all invalid', invaliduser: invalid.join('|') } };
        const msgtype = String(b.msgtype ?? '');
        if (!['text', 'textcard', 'markdown', 'template_card', 'image', 'news'].includes(msgtype) || b[msgtype] === undefined) return { status: 200, json: { errcode: 40008, errmsg: 'invalid message type' } };
        const { enable_duplicate_check: dupCheck, duplicate_check_interval: _i, ...content } = b;
        const dupKey = JSON.stringify(content);
        const seen = dupCheck ? appDupes.get(dupKey) : undefined;
        if (seen) return { status: 200, json: { ...ok, invaliduser: invalid.join('|'), msgid: seen } };
        const msgid = `appmsg_${randomBytes(8).toString('hex')}`;
        if (dupCheck) appDupes.set(dupKey, msgid);
        appSent.push({ msgid, touser: known, agentid: Number(b.agentid), msgtype, body: b });
        return { status: 200, json: { ...ok, invaliduser: invalid.join('|'), msgid } };
      }
      case '/cgi-bin/message/update_template_card': {
        const code = String(b.response_code ?? '');
        if (!code || usedResponseCodes.has(code)) return { status: 200, json: { errcode: 40200, errmsg: 'invalid response_code' } };
        usedResponseCodes.add(code);
        cardUpdates.push(b);
        return { status: 200, json: ok };
      }
      case '/cgi-bin/user/get': {
        const u = users.get(query.userid ?? '');
        if (!u) return { status: 200, json: { errcode: 60111, errmsg: 'userid not found' } };
        return { status: 200, json: { ...ok, userid: query.userid, name: u.name, status: 1 } };
      }
      case '/cgi-bin/message/custom/send': {
        if (closedWindows.has(String(b.touser))) return { status: 200, json: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' } };
        oaSent.push(b);
        return { status: 200, json: ok };
      }
      default:
        return { status: 404, json: { errcode: 404, errmsg: `no such API ${method} ${path}` } };
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        const raw = Buffer.concat(chunks);
        const query = Object.fromEntries(url.searchParams);
        let body: unknown;
        if ((req.headers['content-type'] ?? '').includes('json') || (raw.length && raw[0] === 0x7b)) {
          try { body = JSON.parse(raw.toString('utf8')); } catch { body = undefined; }
        }
        const call: StubCall = { method: req.method ?? 'GET', path: url.pathname, query, body, at: Date.now() };
        calls.push(call);
        const fault = faults.get(url.pathname)?.shift();
        if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
        let answer: { status: number; json?: unknown; bytes?: Buffer; type?: string };
        if (fault && 'status' in fault) answer = { status: fault.status, json: { errcode: -1, errmsg: 'system busy' } };
        else if (fault && 'errcode' in fault) answer = { status: 200, json: { errcode: fault.errcode, errmsg: fault.errmsg ?? 'injected fault' } };
        else answer = route(call.method, url.pathname, query, body, raw);
        call.answer = { status: answer.status, errcode: (answer.json as { errcode?: number } | undefined)?.errcode };
        if (answer.bytes) {
          res.writeHead(answer.status, { 'Content-Type': answer.type ?? 'application/octet-stream' });
          res.end(answer.bytes);
        } else {
          res.writeHead(answer.status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(answer.json));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    corpId, secret, appId, appSecret,
    calls,
    /** kf messages delivered through send_msg (once per msgid). */
    sent,
    /** OA customer-service messages delivered. */
    oaSent,
    /** WeCom app messages delivered (message/send), once per content with the duplicate check on. */
    appSent,
    /** update_template_card calls that took (each response_code once). */
    cardUpdates,
    /** Adds a member to the corp's directory (once any is added, message/send refuses the others). */
    addUser(userid: string, name = userid) { users.set(userid, { name }); },
    /** Calls to one API path. */
    callsTo: (path: string) => calls.filter((c) => c.path === path),
    /** The next `times` calls to `path` get `fault`. */
    inject(path: string, fault: StubFault, times = 1) {
      const list = faults.get(path) ?? [];
      for (let i = 0; i < times; i++) list.push(fault);
      faults.set(path, list);
    },
    /** Every token handed out so far now answers 42001. */
    expireTokens() {
      for (const t of tokens.values()) t.expired = true;
    },
    /** The 48-hour window of this customer (external_userid or openid) is closed. */
    closeWindow(user: string) { closedWindows.add(user); },
    openWindow(user: string) { closedWindows.delete(user); },
    sessionState: (kf: string, user: string) => session(kf, user).state,
    setSessionState(kf: string, user: string, state: number) { session(kf, user).state = state; },
    /**
     * A customer writes to a kf account: the message joins the log sync_msg pages through; the
     * returned callback token is what the platform's `kf_msg_or_event` callback would carry.
     */
    customerWrites(openKfid: string, externalUserId: string, content: { text: string; menuId?: string } | { imageBytes: Buffer } | { event: Record<string, unknown> }): { msgid: string; token: string } {
      const msgid = `msg_${randomBytes(8).toString('hex')}`;
      const base = { msgid, open_kfid: openKfid, external_userid: externalUserId, send_time: Math.floor(Date.now() / 1000) };
      if ('text' in content) log.push({ ...base, origin: 3, msgtype: 'text', text: { content: content.text, ...(content.menuId ? { menu_id: content.menuId } : {}) } });
      else if ('imageBytes' in content) {
        const id = `media_${randomBytes(8).toString('hex')}`;
        media.set(id, { type: 'image', bytes: content.imageBytes });
        log.push({ ...base, origin: 3, msgtype: 'image', image: { media_id: id } });
      } else log.push({ ...base, origin: 4, msgtype: 'event', event: { open_kfid: openKfid, external_userid: externalUserId, ...content.event } });
      const token = `cbtok_${randomBytes(8).toString('hex')}`;
      callbackTokens.add(token);
      return { msgid, token };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WechatStub = Awaited<ReturnType<typeof startWechatStub>>;

/** The file part of a multipart/form-data body (the stub does not need more than one part). */
function multipartFile(raw: Buffer): Buffer {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd < 0) return raw;
  const start = headerEnd + 4;
  const end = raw.lastIndexOf('\r\n--');
  return raw.subarray(start, end > start ? end : raw.length);
}
