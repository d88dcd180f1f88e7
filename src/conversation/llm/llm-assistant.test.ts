import { describe, expect, it } from 'vitest';
import { citedAnswerText, createLlmAssistant } from './llm-assistant.js';
import { NoLlm } from './llm-client.js';

describe('llm assistant', () => {
  it('is absent with the NoLlm twin, so the engine stays deterministic and builds no prompt', async () => {
    expect(createLlmAssistant({ client: new NoLlm(), intents: ['greeting'], orderNumberPattern: 'SD\\d{10}' })).toBeUndefined();
    expect(await new NoLlm().completeJson()).toEqual({ ok: false, reason: 'disabled' });
  });

  it('shows the source of an answer in the customer\'s language', () => {
    const a = { text: '可以寄到新疆。', source: { id: 'remote-areas', title: '偏远地区配送' } };
    expect(citedAnswerText(a, 'zh')).toBe('可以寄到新疆。\n\n（来源：偏远地区配送）');
    expect(citedAnswerText({ ...a, text: 'Yes.', source: { id: 'remote-areas', title: 'Delivery to remote areas' } }, 'en')).toBe('Yes.\n\n(Source: Delivery to remote areas)');
  });
});
