import OpenAI from 'openai';
import { logger } from '../../shared/logger.js';
import { NoLlm, type LlmClient, type LlmJsonRequest, type LlmJsonResult } from './llm-client.js';

const log = logger('llm');

export interface OpenAiLlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Whole-call budget, ms; past it the caller takes the deterministic path. */
  timeoutMs: number;
}

/**
 * Any OpenAI-compatible chat-completions endpoint through the `openai` package. Asks for
 * structured output (a JSON schema) first; a server that rejects that with a 400 is asked in JSON
 * mode from then on. Logs outcomes and timings only, never prompts or answers.
 */
export class OpenAiLlmClient implements LlmClient {
  readonly enabled = true;
  private readonly client: OpenAI;
  private schemaSupported = true;

  constructor(private readonly settings: OpenAiLlmSettings) {
    this.client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey, timeout: settings.timeoutMs, maxRetries: 0 });
  }

  async completeJson(req: LlmJsonRequest): Promise<LlmJsonResult> {
    const started = performance.now();
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    const result = await this.ask(req, signal);
    log.info({ outcome: result.ok ? 'ok' : result.reason, ms: Math.round(performance.now() - started), mode: this.schemaSupported ? 'json_schema' : 'json_object' }, 'llm call');
    return result;
  }

  private async ask(req: LlmJsonRequest, signal: AbortSignal): Promise<LlmJsonResult> {
    if (this.schemaSupported) {
      const first = await this.call(req, signal, { type: 'json_schema', json_schema: { name: req.schemaName, schema: req.schema, strict: true } });
      if (first !== 'schema_rejected') return first;
      this.schemaSupported = false;
      log.warn({ model: this.settings.model }, 'llm server rejected json_schema output: using JSON mode');
    }
    const second = await this.call(req, signal, { type: 'json_object' });
    return second === 'schema_rejected' ? { ok: false, reason: 'failed' } : second;
  }

  private async call(
    req: LlmJsonRequest,
    signal: AbortSignal,
    format: OpenAI.ResponseFormatJSONSchema | OpenAI.ResponseFormatJSONObject,
  ): Promise<LlmJsonResult | 'schema_rejected'> {
    try {
      const res = await this.client.chat.completions.create(
        {
          model: this.settings.model,
          temperature: 0,
          messages: [{ role: 'system', content: req.system }, { role: 'user', content: req.user }],
          response_format: format,
        },
        { signal },
      );
      const text = res.choices?.[0]?.message?.content;
      if (typeof text !== 'string') return { ok: false, reason: 'malformed' };
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, reason: 'malformed' };
      }
    } catch (err) {
      if (err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError || signal.aborted) return { ok: false, reason: 'timeout' };
      if (err instanceof OpenAI.APIError && err.status === 400 && format.type === 'json_schema') return 'schema_rejected';
      // a down or refusing server is the deterministic path's turn, reported by the log line above
      const status = err instanceof OpenAI.APIError ? err.status : undefined;
      log.warn({ status, error: err instanceof Error ? err.name : 'unknown' }, 'llm call failed');
      return { ok: false, reason: 'failed' };
    }
  }
}

/** The configured model, or the NoLlm twin when none is (config.llm absent). */
export function llmClientFor(settings: OpenAiLlmSettings | undefined): LlmClient {
  return settings ? new OpenAiLlmClient(settings) : new NoLlm();
}
