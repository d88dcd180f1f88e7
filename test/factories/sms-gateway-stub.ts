import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsGatewayRequest { authorization: string; idempotencyKey: string; contentType: string; body: { to?: string; text?: string } }

/**
 * A real HTTP server speaking the SMS gateway format of src/otp/http-sms-gateway.ts: it records
 * every POST (headers and JSON body) and answers with `status` (200 `{"id": …}` by default).
 */
export async function startSmsGatewayStub() {
  const state = { status: 200, retryAfter: undefined as string | undefined, requests: [] as SmsGatewayRequest[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: SmsGatewayRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsGatewayRequest['body'];
      } catch {
        body = {};
      }
      state.requests.push({ authorization: String(req.headers.authorization ?? ''), idempotencyKey: String(req.headers['idempotency-key'] ?? ''), contentType: String(req.headers['content-type'] ?? ''), body });
      res.writeHead(state.status, { 'Content-Type': 'application/json', ...(state.retryAfter ? { 'Retry-After': state.retryAfter } : {}) });
      res.end(JSON.stringify(state.status < 300 ? { id: `sms-${state.requests.length}` } : { error: 'refused' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`,
    state,
    /** Texts sent to a number, oldest first. */
    textsTo: (phone: string) => state.requests.filter((r) => r.body.to === phone).map((r) => r.body.text ?? ''),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
