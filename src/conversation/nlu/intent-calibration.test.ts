import { describe, expect, it } from 'vitest';
import { tuneOutOfScopeThreshold } from './intent-calibration.js';

const row = (probs: number[], y: number) => ({ probs: Float64Array.from(probs), y });

describe('tuneOutOfScopeThreshold', () => {
  // class 0 = out of scope, 1 and 2 = shop intents
  it('keeps a shop message whose probability is split between related intents in scope', () => {
    const heldOut = [row([0.1, 0.45, 0.45], 1), row([0.05, 0.5, 0.45], 2), row([0.7, 0.2, 0.1], 0)];
    const t = tuneOutOfScopeThreshold(heldOut, 0);
    expect(t).toBeGreaterThan(0.1);
  });

  it('rejects messages whose off-topic probability is high even when a shop intent is on top', () => {
    const heldOut = [row([0.4, 0.6, 0], 0), row([0.42, 0.58, 0], 0), row([0.05, 0.95, 0], 1), row([0.1, 0.9, 0], 1)];
    const t = tuneOutOfScopeThreshold(heldOut, 0);
    expect(t).toBeLessThanOrEqual(0.4);
    expect(t).toBeGreaterThan(0.1);
  });

  it('accepts everything not predicted off-topic when there is no off-topic class', () => {
    expect(tuneOutOfScopeThreshold([row([0.5, 0.5], 0)], undefined)).toBe(1);
  });
});
