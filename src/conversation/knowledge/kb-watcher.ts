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
  return watchAndReload(dir, debounceMs, reload, {
    onReload,
    describe: (event) => (event.ok ? ['info', { articleCount: event.articleCount }, 'knowledge base reloaded'] : ['warn', { errorCount: event.errors.length }, 'knowledge base reload rejected; keeping the previous index']),
    what: 'knowledge base',
  });
}

/**
 * The mechanism under watchKnowledgeBase, for any directory whose files feed something served
 * (also the shop's NLU training file, src/conversation/nlu/reloading-classifier.ts): debounced,
 * never overlapping, a failed reload logged and the previous state kept.
 */
export function watchAndReload<E>(
  dir: string,
  debounceMs: number,
  reload: () => Promise<E>,
  opts: {
    onReload?: (event: E) => void;
    describe?: (event: E) => ['info' | 'warn', Record<string, unknown>, string] | undefined;
    what: string;
    recursive?: boolean;
    /** Also reload every this many ms (a shared volume, e.g. NFS, tells no watcher of another host's writes); `reload` must be cheap when nothing changed. */
    pollMs?: number;
  },
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
      const line = opts.describe?.(event);
      if (line) log[line[0]](line[1], line[2]);
      if (!stopped) opts.onReload?.(event);
    } catch (err) {
      log.error({ err }, `${opts.what} reload failed; keeping the previous state`);
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

  const watcher: FSWatcher = watch(dir, { recursive: opts.recursive ?? true }, schedule);
  watcher.on('error', (err) => log.error({ err }, `${opts.what} watcher failed`));
  const poll = opts.pollMs ? setInterval(schedule, opts.pollMs) : undefined;
  poll?.unref();

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(poll);
    watcher.close();
  };
}
