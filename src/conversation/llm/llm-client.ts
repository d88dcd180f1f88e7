/**
 * The port to a chat model: one JSON answer to a system + user prompt. Implementations never
 * throw; a model that is off, slow, down or talking nonsense is a value the caller falls back on.
 */
export interface LlmJsonRequest {
  system: string;
  user: string;
  /** Name and JSON schema of the object wanted (structured output where the server supports it). */
  schemaName: string;
  schema: Record<string, unknown>;
}

export type LlmJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'disabled' | 'timeout' | 'malformed' | 'failed' };

export interface LlmClient {
  /** False for the NoLlm twin: callers skip building prompts at all. */
  readonly enabled: boolean;
  completeJson(req: LlmJsonRequest): Promise<LlmJsonResult>;
}

/** The in-process twin used when no model is configured: every request is declined. */
export class NoLlm implements LlmClient {
  readonly enabled = false;
  async completeJson(): Promise<LlmJsonResult> {
    return { ok: false, reason: 'disabled' };
  }
}
