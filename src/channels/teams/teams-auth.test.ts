import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientSecretTokenSource } from './teams-auth.js';

describe('the app token for the Teams connector (client credentials against a real HTTP token endpoint)', () => {
  let base: string;
  let answer: { status: number; body: unknown } = { status: 200, body: { access_token: 'tok-1', expires_in: 3599 } };
  const seen: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      seen.push(new URLSearchParams(body));
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/my-tenant`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('asks once for the Bot Framework scope and reuses the token until shortly before it expires', async () => {
    const source = new ClientSecretTokenSource({ appId: 'app-1', appPassword: 'pw', authority: base, scope: 'https://api.botframework.com' });
    const [a, b] = await Promise.all([source.token(), source.token()]);
    expect([a, b, await source.token()]).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(seen).toHaveLength(1);
    expect(Object.fromEntries(seen[0])).toEqual({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: 'pw', scope: 'https://api.botframework.com/.default' });
    const signed = await source.signRequest({ headers: new Map<string, string>() });
    expect(signed.headers.get('authorization')).toBe('Bearer tok-1');
  });

  it('gives up on a wrong secret (not retryable, names the settings) but retries an outage', async () => {
    answer = { status: 401, body: { error: 'invalid_client' } };
    const wrong = new ClientSecretTokenSource({ appId: 'app-1', appPassword: 'bad', authority: base, scope: 'https://api.botframework.com' });
    await expect(wrong.token()).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: false, message: expect.stringContaining('TEAMS_APP_PASSWORD') });
    answer = { status: 503, body: {} };
    await expect(wrong.token()).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true });
    const unreachable = new ClientSecretTokenSource({ appId: 'app-1', appPassword: 'pw', authority: 'http://127.0.0.1:9/t', scope: 's' });
    await expect(unreachable.token()).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true });
  });
});
