import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webPublicDir } from './public-dir.js';

describe('webPublicDir', () => {
  it('finds the browser files from the source module', () => {
    expect(existsSync(`${webPublicDir()}/chat.html`)).toBe(true);
  });

  it('finds the same source folder from the compiled module in dist/', () => {
    const compiled = new URL('../../../dist/channels/web/public-dir.js', import.meta.url).href;
    expect(webPublicDir(compiled)).toBe(webPublicDir());
  });
});
