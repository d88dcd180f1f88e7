import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The browser files live in src/channels/web/public/ and are served from there both under tsx
 * and from dist/ (tsc does not copy non-TS files), so walk up to the project root to find them.
 */
export function webPublicDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'channels', 'web', 'public');
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json) above the web chat module');
    dir = up;
  }
}
