import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST /v1/chat/completions the stub received. */
export interface ChatCall {
  /** The request body exactly as sent (for "what left shopdesk" assertions). */
  raw: string;
  body: { model: string; messages: { role: string; content: string }[]; response_format?: { type: string; json_schema?: { name: string } } };
  auth: string | undefined;
  /** What the stub made of it: an intent question or an FAQ answer request. */
  kind: 'classify' | 'faq';
}

/** How the stub answers one call: the assistant message's content, an HTTP error, or slowly. */
export type StubAnswer = { content: string; delayMs?: number } | { status: number; message?: string };

/**
 * A real HTTP server speaking the OpenAI chat-completions API (`OPENAI_BASE_URL` = `url`). It
 * records every request and answers with whatever `answer` returns for it; `rejectJsonSchema`
 * makes it refuse structured output with a 400, like servers that only know JSON mode.
 */
export async function startOpenAiStub(opts: { answer?: (call: ChatCall) => StubAnswer; rejectJsonSchema?: boolean } = {}) {
  const calls: ChatCall[] = [];
  const state: { answer: (call: ChatCall) => StubAnswer; rejectJsonSchema: boolean } = { answer: opts.answer ?? (() => ({ content: '{}' })), rejectJsonSchema: opts.rejectJsonSchema ?? false };
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://stub').pathname !== '/v1/chat/completions') {
        send(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as ChatCall['body'];
      const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
      const call: ChatCall = { raw, body, auth: req.headers.authorization, kind: /FAQ articles/.test(system) ? 'faq' : 'classify' };
      calls.push(call);
      if (state.rejectJsonSchema && body.response_format?.type === 'json_schema') {
        send(res, 400, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: 'invalid_request_error', param: 'response_format' } });
        return;
      }
      const a = state.answer(call);
      if ('status' in a) {
        send(res, a.status, { error: { message: a.message ?? 'stub error', type: 'server_error' } });
        return;
      }
      const reply = () => send(res, 200, {
        id: `chatcmpl-${calls.length}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: a.content } }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
      if (!a.delayMs) return reply();
      const t = setTimeout(() => { timers.delete(t); reply(); }, a.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    /** Replaces how the stub answers from now on. */
    answerWith(answer: (call: ChatCall) => StubAnswer) { state.answer = answer; },
    set rejectJsonSchema(v: boolean) { state.rejectJsonSchema = v; },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type OpenAiStub = Awaited<ReturnType<typeof startOpenAiStub>>;
