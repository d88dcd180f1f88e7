import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call shopdesk made to the Teams connector. */
export interface ConnectorCall {
  /** The conversation id from the path (decoded): a channel, or `<channel>;messageid=<root>` for a thread. */
  conversationId: string;
  /** Set for POST …/activities/{replyToId} (a reply to an incoming activity). */
  replyToId?: string;
  activity: { type?: string; text?: string; textFormat?: string; summary?: string; attachments?: { contentType: string; content: Record<string, unknown> }[]; [k: string]: unknown };
  authorization: string | undefined;
  /** The status the stub answered. */
  status: number;
  /** The activity id it returned (2xx only). */
  id?: string;
}

export type ConnectorAnswer = { status: number; headers?: Record<string, string> };

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/** Signs an RS256 JWT with node:crypto (what Bot Framework does for every activity it sends a bot). */
export function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64url(sig)}`;
}

/**
 * A local Bot Framework in one real HTTP server: the OpenID metadata and JWKS activities are
 * signed against, the Entra token endpoint the bot gets its app token from, and the Teams
 * connector (POST /v3/conversations/{id}/activities[/{replyToId}]) recording what the bot posts.
 * `respond` decides each connector answer (outages, throttling).
 */
export async function startBotFrameworkStub(opts: { appId: string; appPassword: string; tenantId: string }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `stub-key-${randomUUID().slice(0, 8)}`;
  const accessToken = `stub-app-token-${randomUUID()}`;
  const calls: ConnectorCall[] = [];
  const tokenRequests: { tenant: string; clientId: string | null; ok: boolean }[] = [];
  let nextId = 1741076102004;
  let respond: (call: Omit<ConnectorCall, 'status' | 'id'>, n: number) => ConnectorAnswer = () => ({ status: 201 });

  const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const body = await read(req);
    if (req.method === 'GET' && url.pathname === '/openid') return json(res, 200, { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    if (req.method === 'GET' && url.pathname === '/keys') {
      const jwk = publicKey.export({ format: 'jwk' });
      return json(res, 200, { keys: [{ ...jwk, kid, use: 'sig', endorsements: ['msteams'] }] });
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method === 'POST' && token) {
      const form = new URLSearchParams(body);
      const ok = form.get('grant_type') === 'client_credentials' && form.get('client_id') === opts.appId && form.get('client_secret') === opts.appPassword
        && token[1] === opts.tenantId && form.get('scope') === 'https://api.botframework.com/.default';
      tokenRequests.push({ tenant: token[1], clientId: form.get('client_id'), ok });
      return ok ? json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: accessToken }) : json(res, 401, { error: 'invalid_client' });
    }
    const post = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    if (req.method === 'POST' && post) {
      const call = { conversationId: decodeURIComponent(post[1]), replyToId: post[2] ? decodeURIComponent(post[2]) : undefined, activity: JSON.parse(body || '{}') as ConnectorCall['activity'], authorization: req.headers.authorization };
      const answer = call.authorization === `Bearer ${accessToken}` ? respond(call, calls.length + 1) : { status: 401 };
      const recorded: ConnectorCall = { ...call, status: answer.status };
      if (answer.status < 300) recorded.id = String(nextId++);
      calls.push(recorded);
      return json(res, answer.status, answer.status < 300 ? { id: recorded.id } : { error: { code: 'ServiceError', message: 'stub outage' } }, answer.headers);
    }
    json(res, 404, { error: 'no such stub route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    /** The activities' serviceUrl: where the bot answers. */
    serviceUrl: `${base}/`,
    endpoints: { loginHost: base, openIdMetadataUrl: `${base}/openid`, emulatorOpenIdMetadataUrl: `${base}/openid` },
    calls,
    tokenRequests,
    /** Calls that were accepted (2xx). */
    posted: () => calls.filter((c) => c.status < 300),
    setResponder(fn: typeof respond) {
      respond = fn;
    },
    /** A Bot Framework token for an activity, as the channel service signs it. */
    token(claims: Record<string, unknown> = {}, key: KeyObject = privateKey): string {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(key, kid, { iss: 'https://api.botframework.com', aud: opts.appId, serviceurl: `${base}/`, nbf: now - 5, exp: now + 3600, ...claims });
    },
    async waitFor(pred: (c: ConnectorCall) => boolean, timeoutMs = 15_000): Promise<ConnectorCall> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find((c) => c.status < 300 && pred(c));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching connector call within ${timeoutMs} ms; got ${JSON.stringify(calls.map((c) => ({ conv: c.conversationId, status: c.status, text: c.activity.text, summary: c.activity.summary })))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type BotFrameworkStub = Awaited<ReturnType<typeof startBotFrameworkStub>>;
