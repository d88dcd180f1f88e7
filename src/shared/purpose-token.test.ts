import { describe, expect, it } from 'vitest';
import { deriveKey, issuePurposeToken, verifyPurposeToken } from './purpose-token.js';

const KEY = deriveKey('a-master-secret-0123456789', 'test');

describe('purpose tokens', () => {
  it('carries its claims for its purpose until it expires', () => {
    const t = issuePurposeToken(KEY, 'ws', { threadId: 'v_1' }, 60_000, 1_000);
    expect(verifyPurposeToken(KEY, 'ws', t, 2_000)).toMatchObject({ threadId: 'v_1', p: 'ws', exp: 61_000 });
    expect(verifyPurposeToken(KEY, 'ws', t, 61_000)).toBeUndefined();
  });

  it('is worthless for another purpose, with another key, or edited', () => {
    const t = issuePurposeToken(KEY, 'ws', { threadId: 'v_1' }, 60_000);
    expect(verifyPurposeToken(KEY, 'media', t)).toBeUndefined();
    expect(verifyPurposeToken(deriveKey('a-master-secret-0123456789', 'other'), 'ws', t)).toBeUndefined();
    const forged = Buffer.from(JSON.stringify({ threadId: 'v_2', p: 'ws', exp: Date.now() + 1e6 })).toString('base64url');
    expect(verifyPurposeToken(KEY, 'ws', `${forged}.${t.split('.')[1]}`)).toBeUndefined();
    expect(verifyPurposeToken(KEY, 'ws', 'garbage')).toBeUndefined();
    expect(verifyPurposeToken(KEY, 'ws', undefined)).toBeUndefined();
  });
});
