import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest { key: string; body: Record<string, unknown>; at: number; answered?: number }

/**
 * A real HTTP server standing in for a notification receiver. `respond` decides each answer
 * (status, headers, or 'hang' to keep the request open); every request is recorded.
 */
export async function startWebhookStub(respond: (req: StubRequest, n: number) => { status: number; headers?: Record<string, string>; body?: unknown } | 'hang' = () => ({ status: 200 })) {
  const requests: StubRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: StubRequest = { key: String(req.headers['idempotency-key'] ?? ''), body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>, at: Date.now() };
      requests.push(r);
      const answer = respond(r, requests.length);
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      r.answered = answer.status;
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body ?? { id: `stub-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    requests,
    /** Keys that got a 2xx answer, as often as they got one. */
    delivered: () => requests.filter((r) => r.answered !== undefined && r.answered < 300).map((r) => r.key),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
