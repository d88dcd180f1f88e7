import { watch, type FSWatcher } from 'node:fs';
import { logger } from '../../shared/logger.js';
import type { KbLoadError } from './kb-article-loader.js';

const log = logger('kb-watcher');

/** Outcome of one hot reload; on `ok: false` the previous index is still being served. */
export interface KbReloadEvent {
  ok: boolean;
  articleCount: number;
  errors: KbLoadError[];
}

/**
 * Calls `reload` after file changes under `dir` have been quiet for `debounceMs`. Reloads never
 * overlap: a change during a reload schedules one more after it. Returns a stop function.
 */
export function watchKnowledgeBase(
  dir: string,
  debounceMs: number,
  reload: () => Promise<KbReloadEvent>,
  onReload?: (event: KbReloadEvent) => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;
  let stopped = false;

  const run = async (): Promise<void> => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      const event = await reload();
      if (event.ok) log.info({ articleCount: event.articleCount }, 'knowledge base reloaded');
      else log.warn({ errorCount: event.errors.length }, 'knowledge base reload rejected; keeping the previous index');
      if (!stopped) onReload?.(event);
    } catch (err) {
      log.error({ err }, 'knowledge base reload failed; keeping the previous index');
    } finally {
      running = false;
      if (pending && !stopped) {
        pending = false;
        schedule();
      }
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };

  const watcher: FSWatcher = watch(dir, { recursive: true }, schedule);
  watcher.on('error', (err) => log.error({ err }, 'knowledge base watcher failed'));

  return () => {
    stopped = true;
    clearTimeout(timer);
    watcher.close();
  };
}
